import { describe, expect, it } from "vitest";
import { SettledOnce } from "../../../src/client/settled-once.js";

describe("SettledOnce", () => {
  it("asks once per key and shares the answer; a seeded answer is never asked for", async () => {
    const once = new SettledOnce<number, string>();
    once.set(1, "seeded");
    const asked: number[] = [];
    const make = async (key: number) => {
      asked.push(key);
      return `answer ${key}`;
    };
    const [a, b, c] = await Promise.all([once.get(2, make), once.get(2, make), once.get(1, make)]);
    expect([a, b, c]).toEqual(["answer 2", "answer 2", "seeded"]);
    expect(asked).toEqual([2]);
  });

  it("forgets a failed answer, so that the next caller asks again", async () => {
    const once = new SettledOnce<string, number>();
    let calls = 0;
    const make = async () => {
      calls++;
      if (calls === 1) throw new Error("passing trouble");
      return 42;
    };
    await expect(once.get("k", make)).rejects.toThrow("passing trouble");
    expect(await once.get("k", make)).toBe(42);
    expect(await once.get("k", make)).toBe(42);
    expect(calls).toBe(2);
  });
});
