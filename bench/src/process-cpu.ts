import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const ticksPerSecond = 100;

/**
 * CPU seconds (user + system) the processes have used so far, from /proc (Linux); NaN elsewhere
 * or when one has exited. On a machine shared with other work, a process's CPU time per event
 * holds where wall-clock rates do not.
 */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after its closing parenthesis;
      // utime and stime are the 14th and 15th fields of the line.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return Number.NaN;
    }
  }
  return ticks / ticksPerSecond;
}

/** Read and write system calls (read, readv, write, writev, …) made so far. */
export interface IoSyscalls {
  reads: number;
  writes: number;
}

/**
 * The processes' read and write system calls so far, from /proc/PID/io (Linux); NaN elsewhere or
 * when one has exited. A service's sockets (NATS, Postgres, websockets) are almost all it reads
 * and writes, and each call is a trip through the kernel's TCP stack: the count per event is what
 * batching events into fewer messages and statements would divide.
 */
export function ioSyscalls(pids: readonly number[]): IoSyscalls {
  const total = { reads: 0, writes: 0 };
  for (const pid of pids) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      total.reads += Number(/^syscr: (\d+)$/m.exec(io)?.[1] ?? Number.NaN);
      total.writes += Number(/^syscw: (\d+)$/m.exec(io)?.[1] ?? Number.NaN);
    } catch {
      return { reads: Number.NaN, writes: Number.NaN };
    }
  }
  return total;
}
