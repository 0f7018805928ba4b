import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** An external user's Threadline identity: the customer, and their one continuous chat. */
export interface Link {
  customerId: string;
  chatId?: string;
  /** The external message whose `start_chat` created the chat. */
  startedBy?: string;
}

/** What the bridge must not forget across a crash. */
export interface BridgeState {
  /** The next external update to read: updates before it are in Threadline. */
  nextUpdateId: number;
  links: Record<string, Link>;
  /** Threadline events already sent to the external service, newest last. */
  sentEventIds: string[];
}

/** Enough to drop any redelivery Threadline makes in practice, without growing forever. */
const sentEventsKept = 10_000;

/**
 * The bridge's state in one JSON file, replaced atomically (written to a temporary file, flushed,
 * renamed over the old one), so a crash leaves the previous or the new version, never half of one.
 * A file rather than a database table: one bridge process owns it, and whoever copies the example
 * needs nothing else. Several replicas would need a shared store with locking (a Postgres table).
 */
export class StateFile {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    readonly state: BridgeState,
  ) {}

  static async open(path: string): Promise<StateFile> {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    const state: BridgeState = text
      ? (JSON.parse(text) as BridgeState)
      : { nextUpdateId: 1, links: {}, sentEventIds: [] };
    return new StateFile(path, state);
  }

  /** The external user whose chat this is, if the chat is one of the bridge's. */
  userOfChat(chatId: string): string | undefined {
    return Object.entries(this.state.links).find(([, link]) => link.chatId === chatId)?.[0];
  }

  wasSent(eventId: string): boolean {
    return this.state.sentEventIds.includes(eventId);
  }

  markSent(eventId: string): Promise<void> {
    this.state.sentEventIds.push(eventId);
    this.state.sentEventIds.splice(0, this.state.sentEventIds.length - sentEventsKept);
    return this.save();
  }

  /** Writes the current state; resolves once it is on disk. Writes happen one at a time. */
  save(): Promise<void> {
    const snapshot = JSON.stringify(this.state);
    this.writing = this.writing.then(() => writeAtomically(this.path, snapshot));
    return this.writing;
  }
}

async function writeAtomically(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}
