// Progress bar on stderr with rate and ETA; a no-op unless stderr is a
// terminal (logs and pipes stay clean) and --quiet is off.
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

export function progressBar(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'replications {bar} {value}/{total} | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  // the rate counts from the first finished batch, so worker start-up does not drag it down
  let t0 = 0;
  let first = -1;
  let running = false;
  const rate = (done: number) => {
    if (first < 0) {
      t0 = performance.now();
      first = done;
    }
    const s = (performance.now() - t0) / 1000;
    return s > 0 ? ((done - first) / s).toFixed(1) : '…';
  };
  return {
    start(total, done) {
      running = true;
      bar.start(total, done, { rate: '…' });
    },
    update(done) {
      if (running) bar.update(done, { rate: rate(done) });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
