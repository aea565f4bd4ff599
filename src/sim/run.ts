// Run a scenario end to end in this process: plan, replications, diagnosis.
// (parallel.ts runs the same replicator in worker threads; the CLI uses it.)
import { edgeCount } from '../graph/csr.js';
import { populationOf, withinClusterShare, type Design } from '../design/index.js';
import type { Scenario } from './scenario.js';
import { buildPlan, type Plan } from './plan.js';
import { replicator, type Row } from './replicate.js';
import { diagnose, type Diagnosis } from './summary.js';
import type { ExactSD } from './variance.js';

export interface DesignInfo {
  name: string;
  type: string;
  p: number;
  units: number;
  /** mean share of a user's friends in their own cluster; null for overlapping units */
  withinClusterShare: number | null;
  /** the clustering is drawn afresh for every replication (RGCR, mixtures, Saveski arms) */
  randomClustering: boolean;
  skipped: { id: string; reason: string }[];
  /**
   * the analysis population of a design whose inquiry is about some users
   * only (ego clusters: the egos), with what they are; absent otherwise
   */
  population?: { users: number; who: string };
  /** estimators whose inquiry is not the global effect (a saturation design's direct and spillover effects); absent when none */
  inquiries?: { estimator: string; kind: 'direct' | 'spillover'; saturation: number }[];
}

/** A design's analysis population for the tables, or null when its inquiry is about every user. */
function populationInfo(design: Design): { users: number; who: string } | null {
  const pop = populationOf(design);
  if (!pop) return null;
  let users = 0;
  for (let i = 0; i < pop.length; i++) users += pop[i] ? 1 : 0;
  return { users, who: design.structure.kind === 'ego' ? 'egos' : 'users' };
}

export interface GraphInfo {
  nodes: number;
  edges: number;
  meanDegree: number;
  isolated: number;
  threads: number | null;
  meanThreadsPerUser: number | null;
}

export interface Results {
  scenario: Scenario;
  graph: GraphInfo;
  designs: DesignInfo[];
  diagnosis: Diagnosis[];
  /** exact SD of HT rows over the design (run --exact); absent otherwise */
  exact?: ExactSD[];
}

export function describePlan(plan: Plan): { graph: GraphInfo; designs: DesignInfo[] } {
  const { csr, threads } = plan.graph;
  let isolated = 0;
  for (let i = 0; i < csr.n; i++) if (csr.offsets[i] === csr.offsets[i + 1]) isolated++;
  const graph: GraphInfo = {
    nodes: csr.n,
    edges: edgeCount(csr),
    meanDegree: (2 * edgeCount(csr)) / csr.n,
    isolated,
    threads: threads ? threads.count : null,
    meanThreadsPerUser: threads ? threads.userThreads.length / csr.n : null,
  };
  const designs = plan.designs.map(({ design, skipped, estimators }) => {
    // a clustering drawn afresh each replication has no fixed share to report
    const w = design.structure.kind === 'random-clustering' ? NaN : withinClusterShare(csr, design.units);
    const pop = populationInfo(design);
    const inquiries = estimators.flatMap((e) =>
      e.inquiry && e.inquiry.kind !== 'global' ? [{ estimator: e.id, kind: e.inquiry.kind, saturation: e.inquiry.saturation }] : [],
    );
    return {
      name: design.name,
      type: design.type,
      p: design.p,
      units: design.units.count,
      withinClusterShare: Number.isFinite(w) ? w : null,
      randomClustering: design.structure.kind === 'random-clustering',
      skipped,
      ...(pop ? { population: pop } : {}),
      ...(inquiries.length ? { inquiries } : {}),
    };
  });
  return { graph, designs };
}

export function resultsFrom(plan: Plan, rows: readonly Row[]): Results {
  return { scenario: plan.scenario, ...describePlan(plan), diagnosis: diagnose(rows, plan.scenario.alpha, plan.scenario.seed) };
}

/**
 * Results from a replication file's manifest and rows in any order: rows are
 * put in replication order first, so workers, shards and resumes all give
 * the same bytes.
 */
export function resultsFromParts(parts: { scenario: Scenario; graph: GraphInfo; designs: DesignInfo[] }, rows: readonly Row[]): Results {
  const ordered = [...rows].sort((a, b) => a.rep - b.rep);
  return {
    scenario: parts.scenario,
    graph: parts.graph,
    designs: parts.designs,
    diagnosis: diagnose(ordered, parts.scenario.alpha, parts.scenario.seed),
  };
}

/** Serial run; `onRep` is called after each replication (progress). */
export function runSerial(scenario: Scenario, onRep?: (done: number) => void): { plan: Plan; rows: Row[]; results: Results } {
  const plan = buildPlan(scenario);
  const rep = replicator(plan);
  const rows: Row[] = [];
  for (let r = 0; r < scenario.replications; r++) {
    rows.push(...rep(r));
    onRep?.(r + 1);
  }
  return { plan, rows, results: resultsFrom(plan, rows) };
}
