#!/usr/bin/env node
// The `threadline` binary: the CLI is TypeScript consumed as source, so load it through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
