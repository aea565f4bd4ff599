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
  let t0 = 0;
  let first = 0;
  let running = false;
  const rate = (done: number) => {
    const s = (performance.now() - t0) / 1000;
    return s > 0 ? ((done - first) / s).toFixed(1) : '0.0';
  };
  return {
    start(total, done) {
      t0 = performance.now();
      first = done;
      running = true;
      bar.start(total, done, { rate: '0.0' });
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
