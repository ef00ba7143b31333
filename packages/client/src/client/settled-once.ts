/**
 * Answers asked for once per key and then shared (a table's schemas by id,
 * partition ids by name, row readers by schema id): the first caller starts
 * `make`, later callers get the same promise. A failed answer is forgotten,
 * so that the next caller asks again (the failure may have been passing).
 */
export class SettledOnce<K, V> {
  readonly #answers = new Map<K, Promise<V>>();

  /** Seeds an answer known from the start. */
  set(key: K, value: V): void {
    this.#answers.set(key, Promise.resolve(value));
  }

  get(key: K, make: (key: K) => Promise<V>): Promise<V> {
    let answer = this.#answers.get(key);
    if (!answer) {
      answer = make(key);
      this.#answers.set(key, answer);
      answer.catch(() => {
        if (this.#answers.get(key) === answer) this.#answers.delete(key);
      });
    }
    return answer;
  }
}
