import { runCli } from './commands/index.ts';

// `threadline up` lives in its own module, which starts the platform as soon as it is loaded.
if (process.argv[2] === 'up') {
  await import('./up.ts');
} else {
  process.exitCode = await runCli(process.argv.slice(2), {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
