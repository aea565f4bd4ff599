// Promise.all over a list that may grow while it is awaited (threads added
// to a running pool): resolves when every promise in the list, including
// those added meanwhile, has resolved; rejects with the first rejection at
// once, as Promise.all does, and leaves no later rejection unhandled.
export class Growing {
  private readonly list: Promise<unknown>[] = [];
  private fail: (e: unknown) => void = () => {};
  private readonly failed = new Promise<never>((_, reject) => (this.fail = reject));

  constructor() {
    this.failed.catch(() => {}); // observed through all() only
  }

  add(p: Promise<unknown>): void {
    p.catch(this.fail);
    this.list.push(p);
  }

  async all(): Promise<void> {
    const every = async () => {
      for (let k = 0; k < this.list.length; k++) await this.list[k];
    };
    await Promise.race([every(), this.failed]);
  }
}
