import { describe, expect, it } from "vitest";
import {
  javaDoubleToString,
  javaFloatToString,
  javaLegacyDoubleToString,
  javaLegacyFloatToString,
  milliToString,
  partitionNameOf,
  PartitionNameGetter,
  partitionValueToString,
} from "../../../src/bucketing/index.js";
import { type DataType, DataTypes, RowType } from "../../../src/metadata/data-types.js";
import { FlussTimestamp } from "../../../src/row/timestamp.js";

const name = (type: DataType, value: unknown) => partitionValueToString(value, type);

// Vectors of apache/fluss:fluss-common/src/test/java/org/apache/fluss/utils/PartitionUtilsTest.java @ v0.9.1.
describe("PartitionUtilsTest vectors (Java)", () => {
  it("strings, booleans, bytes and integers", () => {
    expect(name(DataTypes.string(), "Fluss")).toBe("Fluss");
    expect(name(DataTypes.char(1), "F")).toBe("F");
    expect(name(DataTypes.boolean(), true)).toBe("true");
    expect(name(DataTypes.bytes(), new Uint8Array([0x10, 0x20, 0x30, 0x40, 0x50, 0xff]))).toBe("1020304050ff");
    expect(name(DataTypes.binary(6), new Uint8Array([0x10, 0x20, 0x30, 0x40, 0x50, 0xff]))).toBe("1020304050ff");
    expect(name(DataTypes.tinyint(), 100)).toBe("100");
    expect(name(DataTypes.smallint(), -32760)).toBe("-32760");
    expect(name(DataTypes.int(), 299000)).toBe("299000");
    expect(name(DataTypes.bigint(), 1748662955428n)).toBe("1748662955428");
  });

  it("dates, times, floats and doubles", () => {
    expect(name(DataTypes.date(), 20235)).toBe("2025-05-27");
    expect(name(DataTypes.time(3), 5402199 * 1_000_000)).toBe("01-30-02_199");
    expect(milliToString(-1)).toBe("-1-59-59_999"); // checked against PartitionNameConverters on Java 17
    expect(name(DataTypes.float(), Math.fround(5.73))).toBe("5_73");
    expect(name(DataTypes.double(), 5.73)).toBe("5_73");
  });

  it("timestamps (both kinds, UTC): fraction of the second without trailing zeros", () => {
    for (const type of [DataTypes.timestamp(9), DataTypes.timestampLtz(9)]) {
      expect(name(type, new FlussTimestamp(1748662955428, 99988))).toBe("2025-05-31-03-42-35_428099988");
      expect(name(type, new FlussTimestamp(1748662955428, 0))).toBe("2025-05-31-03-42-35_428");
      expect(name(type, new FlussTimestamp(1748662955000, 99988))).toBe("2025-05-31-03-42-35_000099988");
      expect(name(type, new FlussTimestamp(1748662955000, 0))).toBe("2025-05-31-03-42-35_");
      expect(name(type, new FlussTimestamp(-1748662955428, 99988))).toBe("1914-08-03-20-17-24_572099988");
    }
  });
});

describe("partition names", () => {
  it("joins the partition values with $ in partition-key order", () => {
    const row = new RowType([
      DataTypes.field("day", DataTypes.date()),
      DataTypes.field("region", DataTypes.string()),
      DataTypes.field("v", DataTypes.int()),
    ]);
    const getter = new PartitionNameGetter(row, ["region", "day"]);
    expect(getter.partitionName([20235, "EU", 1])).toBe("EU$2025-05-27");
    expect(getter.partitionName({ day: 0, region: "US" })).toBe("US$1970-01-01");
    expect(() => getter.partitionName({ day: 0 })).toThrow(/partition column 'region' must not be null/);
    expect(() => new PartitionNameGetter(row, ["nope"])).toThrow(/not in the row/);
    expect(partitionNameOf(["a", "b"])).toBe("a$b");
    expect(() => partitionValueToString([1], DataTypes.array(DataTypes.int()))).toThrow(/cannot be a partition key/);
  });

  it("prints years as java.time does: dates with %04d of the ISO year, timestamps with the year of era (checked on Java 17)", () => {
    expect(name(DataTypes.date(), -719529)).toBe("-001-12-31");
    expect(name(DataTypes.date(), 2932897)).toBe("10000-01-01");
    expect(name(DataTypes.timestamp(3), new FlussTimestamp(-62167219200000, 0))).toBe("0001-01-01-00-00-00_");
    expect(name(DataTypes.timestamp(3), new FlussTimestamp(253402300800000, 0))).toBe("+10000-01-01-00-00-00_");
  });

  it("prints FLOAT/DOUBLE as Java 8–18 by default, Java 19+ on request", () => {
    expect(name(DataTypes.float(), Math.fround(109211557888))).toBe("1_09211558E11");
    expect(partitionValueToString(Math.fround(109211557888), DataTypes.float(), "shortest")).toBe("1_0921156E11");
    expect(name(DataTypes.double(), NaN)).toBe("NaN");
    expect(name(DataTypes.double(), -Infinity)).toBe("-Inf");
    expect(name(DataTypes.float(), Infinity)).toBe("Inf");
  });
});

describe("Java's Float/Double.toString", () => {
  it("Java 8–18 (FloatingDecimal) digits and layout", () => {
    expect(javaLegacyDoubleToString(1e7)).toBe("1.0E7");
    expect(javaLegacyDoubleToString(1234567.5)).toBe("1234567.5");
    expect(javaLegacyDoubleToString(0.001)).toBe("0.001");
    expect(javaLegacyDoubleToString(9.999e-4)).toBe("9.999E-4");
    expect(javaLegacyDoubleToString(-0)).toBe("-0.0");
    expect(javaLegacyDoubleToString(5e-324)).toBe("4.9E-324");
    expect(javaLegacyDoubleToString(1e23)).toBe("9.999999999999999E22");
    expect(javaLegacyDoubleToString(2.82879384806159e17)).toBe("2.82879384806159008E17");
    expect(javaLegacyFloatToString(Math.fround(1.4e-45))).toBe("1.4E-45");
    expect(javaLegacyFloatToString(Math.fround(0.1))).toBe("0.1");
    expect(javaLegacyFloatToString(16777216)).toBe("1.6777216E7");
    expect(javaLegacyFloatToString(Math.fround(-2982438912))).toBe("-2.98243891E9");
  });

  it("Java 19+ (shortest, closest, two digits when one would do)", () => {
    expect(javaDoubleToString(1e23)).toBe("1.0E23");
    expect(javaDoubleToString(2.82879384806159e17)).toBe("2.82879384806159E17");
    expect(javaDoubleToString(5e-324)).toBe("4.9E-324");
    expect(javaDoubleToString(100)).toBe("100.0");
    expect(javaFloatToString(Math.fround(1.4e-45))).toBe("1.4E-45");
    expect(javaFloatToString(Math.fround(-3138008.25))).toBe("-3138008.2");
    expect(javaFloatToString(Math.fround(109211557888))).toBe("1.0921156E11");
    expect(javaFloatToString(Math.fround(0.1))).toBe("0.1");
    expect(javaFloatToString(3.4028234663852886e38)).toBe("3.4028235E38");
  });
});
