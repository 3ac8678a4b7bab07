// @ts-check
/** What the benchmark ran on, and how busy the machine was. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { sleep } from './stats.mjs';

/** @param {string} file */
const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/** @param {string} cmd @param {string[]} args */
const run = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

export function machine() {
  const cpuinfo = read('/proc/cpuinfo');
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(read('/proc/meminfo'))?.[1] ?? 0);
  const osName = /PRETTY_NAME="([^"]+)"/.exec(read('/etc/os-release'))?.[1] ?? os.platform();
  return {
    nproc: Number(run('nproc', [])) || os.cpus().length,
    cpuModel: model,
    ramGB: memKb / 1024 / 1024,
    os: osName,
    kernel: os.release(),
    node: process.version,
    duckdbNative: (() => {
      try {
        return JSON.parse(read(new URL('../node_modules/@duckdb/node-api/package.json', import.meta.url).pathname)).version;
      } catch {
        return 'unknown';
      }
    })(),
    duckdbWasm: (() => {
      try {
        return JSON.parse(read(new URL('../node_modules/@duckdb/duckdb-wasm/package.json', import.meta.url).pathname)).version;
      } catch {
        return 'unknown';
      }
    })(),
    gitHead: run('git', ['rev-parse', '--short', 'HEAD']),
    /** Files under src/ differing from HEAD when the app was built (others edit concurrently). */
    srcDirty: run('git', ['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean).length,
  };
}

/** 1-, 5- and 15-minute load averages. */
export function loadavg() {
  return os.loadavg().map((x) => Number(x.toFixed(2)));
}

function cpuTimes() {
  const line = read('/proc/stat').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { idle, total };
}

/**
 * Share of all CPUs busy over `ms` while this benchmark does nothing: what other
 * processes take from it.
 * @param {number} ms
 */
export async function busyShare(ms = 3000) {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/**
 * Every process: parent, CPU ticks so far (utime + stime) and start time (to tell a reused
 * pid from the process before it).
 * @returns {Map<number, { ppid: number, ticks: number, key: string }>}
 */
function processes() {
  /** @type {Map<number, { ppid: number, ticks: number, key: string }>} */
  const procs = new Map();
  let names = [];
  try {
    names = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return procs;
  }
  for (const name of names) {
    const stat = read(`/proc/${name}/stat`);
    const close = stat.lastIndexOf(')');
    if (close < 0) continue;
    // Fields after "pid (comm) ": f[k - 3] is field k of proc(5): ppid 4, utime 14, stime 15, starttime 22.
    const f = stat.slice(close + 2).split(' ');
    procs.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), key: `${name}:${f[19]}` });
  }
  return procs;
}

/**
 * Tracks CPU use during a phase: stop() gives the busy share of all CPUs over the phase
 * (the benchmark included) and the share taken by processes that are not this benchmark or
 * its descendants (chromium, vite preview, baseline children). Processes are sampled every
 * 500 ms, so another process that starts and ends between two samples is missed: the
 * others' share is a lower bound.
 */
export function cpuMeter() {
  const a = cpuTimes();
  /** @type {Set<string>} */
  const ours = new Set();
  /** @type {Map<string, number>} */
  const first = new Map();
  /** @type {Map<string, number>} */
  const last = new Map();
  /** @param {boolean} initial */
  const sample = (initial) => {
    const procs = processes();
    /** @type {Set<number>} */
    const tree = new Set([process.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, p] of procs) {
        if (!tree.has(pid) && tree.has(p.ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    for (const [pid, p] of procs) {
      if (tree.has(pid)) ours.add(p.key);
      if (ours.has(p.key)) continue;
      if (!first.has(p.key)) first.set(p.key, initial ? p.ticks : 0);
      last.set(p.key, p.ticks);
    }
  };
  sample(true);
  const timer = setInterval(() => sample(false), 500);
  timer.unref();
  return () => {
    clearInterval(timer);
    sample(false);
    const b = cpuTimes();
    let others = 0;
    for (const [key, ticks] of last) if (!ours.has(key)) others += ticks - (first.get(key) ?? 0);
    const total = b.total - a.total;
    if (total <= 0) return { busyShare: 0, othersShare: 0 };
    return { busyShare: 1 - (b.idle - a.idle) / total, othersShare: Math.min(1, Math.max(0, others / total)) };
  };
}
