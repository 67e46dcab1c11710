// One-line notices about what the page could not do as asked (a bad link, a backend this
// browser lacks). Shown at the top until dismissed; never an engine message.
class Notices {
  #list = $state.raw<string[]>([]);

  get list(): readonly string[] {
    return this.#list;
  }

  add(text: string): void {
    if (!this.#list.includes(text)) this.#list = [...this.#list, text];
  }

  dismiss(text: string): void {
    this.#list = this.#list.filter((t) => t !== text);
  }
}

export const notices = new Notices();
