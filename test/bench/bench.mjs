// `npm run bench`: whole-process speed of cfn-trail-lint beside cfn-guard 3.1.1 on the same inputs.
//
//   node test/bench/bench.mjs [--runs N] [--guard-big-runs N] [--quick] [--guard-output json|text]
//
// Whole processes, because that is what a user or a CI step waits for. Runs alternate
// (ours, cfn-guard, ours, …) after one warm-up each, so load on the machine hits both alike.
// Every run of ours is checked against the verdicts the generator expects, and every run of
// cfn-guard against what its rule must report: speed never comes from skipping work.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSuite } from './generate.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WORK = join(ROOT, 'test/bench/.work');
const CLI = join(ROOT, 'dist/src/cli.js');
const GUARD = join(ROOT, 'node_modules/@cdklabs/cdk-validator-cfnguard/bin/ubuntu/x86_64/cfn-guard');
const REPO_RULE = join(ROOT, 'rules/CLOUDTRAIL_MULTI_REGION_ENABLED.guard');
const GNU_TIME = '/usr/bin/time';
const RSS_FILE = join(tmpdir(), `cfn-trail-lint-bench-rss-${process.pid}`);

// The plainest cfn-guard rule for this control, for a checkout where rules/ has no .guard file yet: only a literal `true` passes.
const PEERS_RULE = `let trails = Resources.*[ Type == 'AWS::CloudTrail::Trail' ]
rule CLOUDTRAIL_MULTI_REGION when %trails !empty { %trails.Properties.IsMultiRegionTrail == true }
`;

// Targets of issue #6: ours / cfn-guard (lower is better); the 20-resource one is against `node -e 0`.
const TARGETS = {
  'yaml-500': { max: 0.2 },
  'yaml-5000': { max: 0.05 },
  'dir-200': { max: 0.05 },
};
// …and on the 5,000-resource templates: whole-process throughput, and peak memory against the file's size.
const THROUGHPUT_TARGETS = { 'yaml-5000': 10, 'json-5000': 50 };
const MEMORY_TARGET = { keys: ['yaml-5000', 'json-5000'], times: 10 };
const STARTUP_TARGET = { key: 'yaml-20', max: 1.3 };

// cfn-guard's output modes. `json` (structured) is its fastest; `text`, its default single-line
// summary, costs about 0.6–0.8 s per failing trail on a 0.36 MB template (it prints a code snippet
// for each): 34–52 s for 5,000 resources.
const GUARD_OUTPUTS = {
  json: ['--output-format', 'json', '--structured', '--show-summary', 'none'],
  text: ['--output-format', 'single-line-summary', '--show-summary', 'none'],
};

function options() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'guard-big-runs': { type: 'string', default: '3' },
      quick: { type: 'boolean', default: false },
      'guard-output': { type: 'string', default: 'json' },
    },
  });
  const runs = Number(values.runs);
  const guardBigRuns = Number(values['guard-big-runs']);
  if (!(runs >= 1 && guardBigRuns >= 1)) throw new Error('--runs and --guard-big-runs take a positive number');
  if (!GUARD_OUTPUTS[values['guard-output']]) throw new Error('--guard-output is json or text');
  return { runs, guardBigRuns, quick: values.quick, guardOutput: values['guard-output'] };
}

// ---------------------------------------------------------------- running a process

/** One process run: wall time as seen from here, and peak RSS when GNU time is there to report it. */
function run(argv) {
  const withTime = existsSync(GNU_TIME);
  const [command, ...args] = withTime ? [GNU_TIME, '-f', '%M', '-o', RSS_FILE, ...argv] : argv;
  const started = performance.now();
  const child = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = performance.now() - started;
  if (child.error) throw child.error;
  const rssKb = withTime ? Number(readFileSync(RSS_FILE, 'utf8').trim().split('\n').pop()) : undefined;
  return { ms, status: child.status, stdout: child.stdout, stderr: child.stderr, rssKb };
}

/** Without GNU time, our CLI reports its own peak RSS (resourceUsage().maxRSS is in KB) from inside one extra run. */
function ourRssFromInside(cliArgs) {
  const script = `require(${JSON.stringify(CLI)}).main(${JSON.stringify(cliArgs)})` +
    `.then(c=>{process.stderr.write('RSS '+process.resourceUsage().maxRSS);process.exitCode=c})`;
  const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const match = /RSS (\d+)/.exec(child.stderr);
  return match ? Number(match[1]) : undefined;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

// ---------------------------------------------------------------- verdict checks

const inRepo = (file) => relative(ROOT, resolve(ROOT, file));
const key = (file, logicalId) => `${inRepo(file)} ${logicalId}`;

function countBy(items) {
  const counts = {};
  for (const item of items) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

const describeCounts = (counts) => Object.entries(counts).sort().map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

/** Our JSON report must hold exactly the expected trails with the expected statuses, and the matching exit code. */
function checkOurs(result, input) {
  const expected = new Map();
  for (const [file, trails] of Object.entries(input.expected)) {
    for (const trail of trails) expected.set(key(file, trail.logicalId), trail.expected);
  }
  const problems = [];
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    return [`output is not JSON (exit ${result.status}): ${(result.stderr || result.stdout).slice(0, 300)}`];
  }
  const errors = report.errors ?? [];
  if (errors.length) {
    const examples = errors.slice(0, 3).map((e) => `${e.file}:${e.line ?? '?'} ${e.message}`);
    problems.push(`${errors.length} input error(s), e.g.\n      ${examples.join('\n      ')}`);
  }
  const actual = new Map(report.results.map((r) => [key(r.file, r.logicalId), r.status]));
  const expectedCounts = countBy(expected.values());
  const actualCounts = countBy(actual.values());
  if (describeCounts(expectedCounts) !== describeCounts(actualCounts)) {
    problems.push(`counts: expected ${describeCounts(expectedCounts)}; got ${describeCounts(actualCounts)}`);
  }
  const wrong = [];
  for (const [trail, status] of expected) {
    if (actual.get(trail) !== status) wrong.push(`${trail}: expected ${status}, got ${actual.get(trail) ?? 'no result'}`);
  }
  for (const trail of actual.keys()) if (!expected.has(trail)) wrong.push(`${trail}: not a trail the generator wrote`);
  if (wrong.length) problems.push(`${wrong.length} trail(s) differ, e.g.\n      ${wrong.slice(0, 8).join('\n      ')}`);
  const wantExit = expectedCounts.fail ? 1 : 0;
  if (result.status !== wantExit) problems.push(`exit ${result.status}, expected ${wantExit}`);
  return problems;
}

/** The trails cfn-guard's rule fails, per file: it reads only what is written (no intrinsics, no Defaults, no Conditions). */
function guardExpectation(input, ruleAcceptsStrings) {
  const accepts = (written) => written === true || (ruleAcceptsStrings && ['true', 'True', 'TRUE'].includes(written));
  return Object.fromEntries(Object.entries(input.expected).map(([file, trails]) => [
    inRepo(file),
    trails.filter((trail) => !accepts(trail.written)).map((trail) => trail.logicalId).sort(),
  ]));
}

/** Failing resources per data file, read from cfn-guard's output. */
function guardFailures(stdout, guardOutput) {
  const failures = {};
  const idsIn = (text) => [...new Set([...text.matchAll(/\/Resources\/([A-Za-z0-9]+)/g)].map((m) => m[1]))].sort();
  if (guardOutput === 'json') {
    for (const file of JSON.parse(stdout)) failures[inRepo(file.name)] = idsIn(JSON.stringify(file.not_compliant ?? []));
  } else {
    for (const section of stdout.split(/^Evaluating data /m).slice(1)) {
      const file = section.slice(0, section.indexOf(' against rules'));
      failures[inRepo(file)] = [...new Set([...section.matchAll(/^Resource = (\S+) \{/gm)].map((m) => m[1]))].sort();
    }
  }
  return failures;
}

function checkGuard(result, input, context) {
  const want = guardExpectation(input, context.ruleAcceptsStrings);
  const wantExit = Object.values(want).some((ids) => ids.length) ? 19 : 0;
  if (result.status !== wantExit) return [`cfn-guard exit ${result.status}, expected ${wantExit}: ${result.stderr.slice(0, 300)}`];
  let got;
  try {
    got = guardFailures(result.stdout, context.guardOutput);
  } catch (error) {
    return [`cannot read cfn-guard's output: ${error.message}`];
  }
  const problems = [];
  for (const [file, ids] of Object.entries(want)) {
    const actual = got[file] ?? [];
    if (actual.join() !== ids.join()) problems.push(`${file}: cfn-guard failed [${actual.join(', ')}], expected [${ids.join(', ')}]`);
  }
  return problems.length ? [`${problems.length} file(s) differ, e.g.\n      ${problems.slice(0, 5).join('\n      ')}`] : [];
}

// ---------------------------------------------------------------- one input, side by side

/**
 * Runs the contenders alternately: one warm-up each, then up to `runs` each (a contender
 * with fewer runs drops out of the rotation when done). Every run, warm-up included, is checked.
 */
function measure(contenders, label) {
  const samples = contenders.map(() => ({ ms: [], rssKb: [], problems: [] }));
  const longest = Math.max(...contenders.map((c) => c.runs));
  for (let round = 0; round <= longest; round++) {
    contenders.forEach((contender, i) => {
      if (round > contender.runs) return;
      const result = run(contender.argv);
      const problems = contender.check ? contender.check(result) : [];
      samples[i].problems.push(...problems);
      if (round === 0) return; // warm-up: checked, not timed
      samples[i].ms.push(result.ms);
      if (result.rssKb !== undefined) samples[i].rssKb.push(result.rssKb);
      process.stderr.write(`  ${label}: ${contender.name} run ${round}/${contender.runs} ${result.ms.toFixed(0)} ms${problems.length ? '  VERDICT MISMATCH' : ''}\n`);
    });
  }
  return samples.map((s) => ({
    ms: median(s.ms),
    rssKb: s.rssKb.length ? median(s.rssKb) : undefined,
    problems: [...new Set(s.problems)],
  }));
}

function benchInput(input, context) {
  const path = inRepo(input.path);
  const ourArgs = ['--format', 'json', path];
  const big = input.key.endsWith('-5000');
  const contenders = [
    { name: 'cfn-trail-lint', argv: [process.execPath, 'bin/cfn-trail-lint', ...ourArgs], runs: context.runs,
      check: (result) => checkOurs(result, input) },
    { name: 'cfn-guard', argv: [GUARD, 'validate', '--rules', context.rule, '--data', path, ...GUARD_OUTPUTS[context.guardOutput]],
      runs: big ? context.guardBigRuns : context.runs, check: (result) => checkGuard(result, input, context) },
  ];
  // Bare Node start rides along with the smallest input, where the startup target is judged.
  if (input.key === STARTUP_TARGET.key) contenders.push({ name: 'node -e 0', argv: [process.execPath, '-e', '0'], runs: context.runs });
  const [ours, guard, node] = measure(contenders, input.name);
  if (ours.rssKb === undefined) ours.rssKb = ourRssFromInside(ourArgs);
  return { input, ours, guard, node };
}

// ---------------------------------------------------------------- the table

const fmt = (n, digits = 0) => (n === undefined ? '—' : n.toFixed(digits));
/** Megabytes of 10^6 bytes, for files and memory alike (a ratio of the two is then a ratio of bytes). */
const mb = (bytes) => bytes / 1e6;
const rssMb = (kb) => (kb === undefined ? undefined : mb(kb * 1024));

function verdictCell(measured) {
  return measured.problems.length ? '**MISMATCH**' : 'OK';
}

function targetCell(key, ratio, nodeRatio) {
  const judge = (value, limit) => `${value <= limit ? 'met' : 'missed'}`;
  if (key === STARTUP_TARGET.key && nodeRatio !== undefined) {
    return `≤ ${STARTUP_TARGET.max} × node -e 0 (is ${nodeRatio.toFixed(2)}×): ${judge(nodeRatio, STARTUP_TARGET.max)}`;
  }
  const target = TARGETS[key];
  if (!target) return '—';
  let cell = `≤ ${fmt(target.max, 2)}: ${judge(ratio, target.max)}`;
  if (target.stretch) cell += `; stretch ${target.stretch}: ${judge(ratio, target.stretch)}`;
  return cell;
}

function table(rows, node, context) {
  const lines = [
    `# cfn-trail-lint vs cfn-guard 3.1.1 (whole process, median of ${context.runs} runs; cfn-guard on 5,000 resources: ${context.guardBigRuns})`,
    '',
    `${new Date().toISOString()} · Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} · ` +
      `cfn-guard output: \`${GUARD_OUTPUTS[context.guardOutput].join(' ')}\` · rule: \`${relative(ROOT, context.rule)}\``,
    '',
    '| input | size (MB) | trails (expected) | ours (ms) | cfn-guard (ms) | ours / cfn-guard | target | ours (MB/s) | ours peak RSS (MB) | cfn-guard peak RSS (MB) | verdicts |',
    '|---|---:|---|---:|---:|---:|---|---:|---:|---:|---|',
  ];
  for (const { input, ours, guard } of rows) {
    const ratio = ours.ms / guard.ms;
    const counts = describeCounts(countBy(Object.values(input.expected).flat().map((t) => t.expected)));
    const nodeRatio = input.key === STARTUP_TARGET.key && node ? ours.ms / node.ms : undefined;
    lines.push(`| ${input.name} | ${fmt(mb(input.bytes), 3)} | ${counts} | ${fmt(ours.ms)} | ${fmt(guard.ms)} | ${fmt(ratio, 3)} | ` +
      `${targetCell(input.key, ratio, nodeRatio)} | ${fmt(mb(input.bytes) / (ours.ms / 1000), 2)} | ${fmt(rssMb(ours.rssKb), 1)} | ` +
      `${fmt(rssMb(guard.rssKb), 1)} | ${verdictCell(ours)}${guard.problems.length ? '; cfn-guard **MISMATCH**' : ''} |`);
  }
  if (node) lines.push(`| \`node -e 0\` (bare Node start) | — | — | ${fmt(node.ms)} | — | — | — | — | ${fmt(rssMb(node.rssKb), 1)} | — | — |`);
  lines.push('', 'MB/s is whole-process throughput (Node start included). Ratios below 1 mean cfn-trail-lint is faster.', '');
  for (const { input, ours } of rows) {
    const throughput = THROUGHPUT_TARGETS[input.key];
    const mbps = mb(input.bytes) / (ours.ms / 1000);
    if (throughput) lines.push(`- Throughput, ${input.name}: ${fmt(mbps, 1)} MB/s (target ≥ ${throughput}: ${mbps >= throughput ? 'met' : 'missed'})`);
    if (MEMORY_TARGET.keys.includes(input.key) && ours.rssKb !== undefined) {
      const times = rssMb(ours.rssKb) / mb(input.bytes);
      const over = node?.rssKb !== undefined ? rssMb(ours.rssKb - node.rssKb) / mb(input.bytes) : undefined;
      lines.push(`- Peak memory, ${input.name}: ${fmt(rssMb(ours.rssKb), 1)} MB = ${fmt(times, 1)} × the file (target ≤ ${MEMORY_TARGET.times} ×: ` +
        `${times <= MEMORY_TARGET.times ? 'met' : 'missed'}); above bare Node's own: ${fmt(over, 1)} × the file`);
    }
  }
  if (context.guardOutput === 'json') {
    lines.push('cfn-guard runs in its fastest output mode; its default (`--guard-output text`) prints a code snippet per',
      'failing trail and takes about 0.6–0.8 s for each on a 0.36 MB template.');
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- main

function main() {
  const context = options();
  if (!existsSync(CLI)) throw new Error(`${relative(ROOT, CLI)} is missing: run \`npm run build\` (or \`npm run bench\`, which builds first)`);
  if (!existsSync(GUARD)) throw new Error(`no cfn-guard binary at ${relative(ROOT, GUARD)}: install the dev dependencies`);

  const inputs = writeSuite(join(WORK, 'inputs'), { quick: context.quick });
  if (existsSync(REPO_RULE)) {
    // The repository's rule also passes the strings CloudFormation converts ("true", "True", "TRUE").
    Object.assign(context, { rule: REPO_RULE, ruleAcceptsStrings: true });
  } else {
    const rule = join(WORK, 'peers-rule.guard');
    writeFileSync(rule, PEERS_RULE);
    Object.assign(context, { rule, ruleAcceptsStrings: false });
  }
  process.stderr.write(`Inputs in ${relative(ROOT, WORK)}; ${context.runs} runs each after a warm-up` +
    `${context.quick ? ' (--quick: no 5,000-resource inputs)' : ''}\n`);

  const rows = inputs.map((input) => benchInput(input, context));
  rmSync(RSS_FILE, { force: true });
  const node = rows.find((row) => row.node)?.node;
  // The Aspect's cost inside `cdk synth` (target: at most 1.1 × the synth without it).
  const cdk = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'test/bench/cdk-synth.cjs')], { encoding: 'utf8' }));
  const cdkLine = `\nCDK: app.synth() of a 500-construct app, median of 7: ${cdk.without.toFixed(0)} ms without the Aspect, ` +
    `${cdk.with.toFixed(0)} ms with it: ${(cdk.with / cdk.without).toFixed(2)} × (target ≤ 1.1)\n`;
  const markdown = table(rows, node, context) + cdkLine;
  writeFileSync(join(WORK, 'results.md'), markdown);
  process.stdout.write(`\n${markdown}\nWritten to ${relative(ROOT, join(WORK, 'results.md'))}\n`);

  const mismatches = rows.flatMap(({ input, ours, guard }) => [
    ...ours.problems.map((p) => `${input.name}, cfn-trail-lint: ${p}`),
    ...guard.problems.map((p) => `${input.name}, cfn-guard: ${p}`),
  ]);
  if (mismatches.length) {
    process.stderr.write(`\n!!!!!!!! VERDICT MISMATCH: these timings do not count (speed never comes from skipping work) !!!!!!!!\n` +
      `${mismatches.map((m) => `  - ${m}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

main();
