// A real scheduler: a single-node Slurm cluster (scripts/slurm/local-cluster.sh,
// Debian's slurm-wlm and munge) runs the job scripts of docs/scaling.md
// (scripts/slurm/array.sbatch, scripts/slurm/merge.sh) on a small scenario.
// One array task gets SIGTERM mid-run (as on pre-emption), is requeued and
// resumes; the merged summary must equal a single run byte for byte.
// Skipped, with the reason, where Slurm cannot run: not root, packages
// missing (.ci/run installs them), or the daemons do not come up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/parse-scenario.js';
import { bin, cliAsync } from '../parallel/_cli.js';
import { announcement } from '../../src/report/write.js';

const root = join(import.meta.dirname, '../..');
const slurmDir = join(root, 'scripts/slurm');
const scenario = 'scripts/slurm/small.json'; // relative to root, as a user would submit
const shards = 3;
// the daemons live in /usr/sbin, which a non-login PATH may lack
const PATH = `${process.env.PATH ?? '/usr/bin:/bin'}:/usr/sbin:/sbin`;

/** Why Slurm cannot run here, or undefined. Checked when the file is collected. */
function cannotRun(): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'needs root to start slurmd';
  const tools = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'scontrol', 'scancel', 'squeue', 'sinfo'];
  const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { env: { ...process.env, PATH } }).status !== 0);
  if (missing.length > 0) return `not installed: ${missing.join(', ')} (apt-get install -y slurm-wlm munge)`;
  if (!existsSync(bin)) return `${bin} is missing (npm run build)`;
  return undefined;
}

const skipReason = cannotRun();
if (skipReason) console.warn(`test/cli/slurm.test.ts skipped: ${skipReason}`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== undefined)('Slurm job array (scripts/slurm, docs/scaling.md)', { timeout: 300_000 }, () => {
  // made in beforeAll: a skipped suite leaves nothing behind
  let dir = '';
  let clusterDir = '';
  let out = '';
  let env: Record<string, string> = {};
  let started = '';
  let failedStart = '';

  const sh = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };
  /** A job's (or array task's, "J_i") fields from `scontrol show job -o`. */
  const job = (id: string) => {
    const line = sh('scontrol', ['show', 'job', '-o', id]);
    const field = (k: string) => new RegExp(`\\b${k}=(\\S*)`).exec(line)?.[1] ?? '';
    return { state: field('JobState'), exit: field('ExitCode'), restarts: Number(field('Restarts')), line };
  };
  const waitFor = async (what: string, ok: () => boolean, ms: number) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (ok()) return;
    throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
  };
  const finished = (state: string) => !['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'REQUEUED'].includes(state);
  const lines = (file: string) =>
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l !== '').length
      : 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spillover-slurm-'));
    clusterDir = join(dir, 'cluster');
    out = join(dir, 'runs');
    env = {
      ...(process.env as Record<string, string>),
      PATH,
      SLURM_CONF: join(clusterDir, 'slurm.conf'),
      SCENARIO: scenario, // relative to root, where sbatch is run
      OUT: out,
      JSON: join(dir, 'merged.json'),
      SPILLOVER: bin,
    };
    const t0 = Date.now();
    const r = spawnSync('bash', [join(slurmDir, 'local-cluster.sh'), 'start', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    if (r.status === 0) started = `single-node Slurm up in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    else failedStart = (r.stderr || r.error?.message || `exit ${r.status}`).trim();
  });

  afterAll(() => {
    if (!dir) return;
    spawnSync('bash', [join(slurmDir, 'local-cluster.sh'), 'stop', clusterDir], { encoding: 'utf8', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  });

  it('docs/scaling.md shows the job scripts as they are; its scenarios exist and are valid', () => {
    const docs = readFileSync(join(root, 'docs/scaling.md'), 'utf8');
    for (const f of ['array.sbatch', 'merge.sh']) {
      const script = readFileSync(join(slurmDir, f), 'utf8');
      expect(docs.includes('```bash\n' + script + '```'), `docs/scaling.md shows scripts/slurm/${f} verbatim`).toBe(true);
    }
    expect(docs).toContain('scripts/slurm/local-cluster.sh');
    const paths = [...docs.matchAll(/spillover run (\S+\.json)/g)].map((m) => m[1] ?? '');
    expect(paths).toContain('scripts/slurm/big.json');
    for (const path of new Set(paths)) {
      expect(existsSync(join(root, path)), `${path} (docs/scaling.md) exists`).toBe(true);
      expect(() => parseScenario(JSON.parse(readFileSync(join(root, path), 'utf8')), path)).not.toThrow();
    }
    expect(() => parseScenario(JSON.parse(readFileSync(join(root, scenario), 'utf8')), scenario)).not.toThrow();
  });

  it('an array of shards, one SIGTERMed mid-run and requeued with --resume, merges to the single run byte for byte', async (ctx) => {
    if (!started) {
      console.warn(`test/cli/slurm.test.ts skipped: Slurm did not start: ${failedStart}`);
      ctx.skip();
    }
    console.log(started);
    const t0 = Date.now();
    // the reference: one process, every replication
    const single = cliAsync(['run', join(root, scenario), '--workers', '1', '--quiet', '--json', join(dir, 'single.json')]);

    const array = sh('sbatch', [
      '--parsable',
      `--array=0-${shards - 1}`,
      '--cpus-per-task=1', // overrides the script's 8 cores, 16 GB, 4 h
      '--mem=500M',
      '--time=10',
      `--output=${dir}/slurm-%A_%a.out`,
      join(slurmDir, 'array.sbatch'),
    ]).split(';')[0];

    // SIGTERM to task 1 once it has saved a replication and before it is done
    const shard1 = join(out, 'shard-1.jsonl');
    await waitFor('shard 1 to save a replication', () => lines(shard1) >= 2, 120_000);
    sh('scancel', ['--signal=TERM', '--full', `${array}_1`]);
    const tTerm = Date.now();
    await waitFor('task 1 to stop after SIGTERM', () => finished(job(`${array}_1`).state), 30_000);
    const tStopped = Date.now();
    const stopped = job(`${array}_1`);
    expect(stopped.state, stopped.line).toBe('FAILED');
    expect(stopped.exit).toBe('143:0'); // 128 + SIGTERM
    const saved = lines(shard1) - 1;
    expect(saved).toBeGreaterThanOrEqual(1);
    expect(saved).toBeLessThan(192 / shards);
    const log1 = readFileSync(join(dir, `slurm-${array}_1.out`), 'utf8');
    expect(log1).toContain('interrupted by SIGTERM');
    expect(log1).toMatch(/--shard 1\/3 .*--resume/);

    // requeue it (a requeued job waits two minutes unless told to start now)
    sh('scontrol', ['requeue', `${array}_1`]);
    sh('scontrol', ['update', `JobId=${array}_1`, 'StartTime=now']);
    // merge once every task has ended. afterany, not afterok: a task that failed
    // once never satisfies afterok, even after it is requeued and succeeds;
    // merge itself refuses missing replications.
    const merge = sh('sbatch', [
      '--parsable',
      `--dependency=afterany:${array}`,
      '--mem=500M',
      `--output=${dir}/merge-%j.out`,
      join(slurmDir, 'merge.sh'),
    ]);
    await waitFor('the merge job', () => finished(job(merge).state), 180_000);
    const tMerged = Date.now();
    const merged = job(merge);
    const mergeOut = readFileSync(join(dir, `merge-${merge}.out`), 'utf8');
    expect(merged.state, mergeOut).toBe('COMPLETED');
    for (let i = 0; i < shards; i++) {
      const task = job(`${array}_${i}`);
      expect(task.state, task.line).toBe('COMPLETED');
      expect(task.restarts).toBe(i === 1 ? 1 : 0);
      expect(lines(join(out, `shard-${i}.jsonl`))).toBe(1 + 192 / shards);
    }

    const s = await single.done;
    expect(s.err).toBe('');
    expect(s.code).toBe(0);
    expect(readFileSync(join(dir, 'merged.json'), 'utf8')).toBe(readFileSync(join(dir, 'single.json'), 'utf8'));
    // the table, too, then the line announcing the merged file (the job's log holds stdout and stderr)
    expect(mergeOut).toBe(s.out + announcement(join(dir, 'merged.json')));
    const secs = (t: number) => `${((t - t0) / 1000).toFixed(1)} s`;
    console.log(
      `Slurm array of ${shards} shards: SIGTERM to task 1 at ${secs(tTerm)} (${saved} of ${192 / shards} replications saved), ` +
        `stopped ${tStopped - tTerm} ms later, merged at ${secs(tMerged)}, all checked at ${secs(Date.now())}`,
    );
  });
});
