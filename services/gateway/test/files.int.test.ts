import { randomBytes } from 'node:crypto';
import type { Command } from '@threadline/contracts';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { developmentFileLinkKeys } from '../src/config.ts';
import { parseFileLinkKeys, signFilePath } from '../src/domain/file-links.ts';
import { aCustomer, errorOf, webCall } from './clients.ts';
import { agentBasic, type Harness, startHarness } from './harness.ts';

let harness: Harness;
let chatStore: Command[];

beforeAll(async () => {
  harness = await startHarness();
});

beforeEach(() => {
  chatStore = harness.respond(harness.subjects.chatStoreExecute, () => ({ event_id: 'E_1' }));
});

afterEach(async () => {
  await harness.stopResponders();
});

afterAll(async () => {
  await harness?.close();
});

/** The first bytes of a 640×480 PNG: signature and IHDR, all the gateway reads. */
function pngHeader(): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, 640);
  new DataView(bytes.buffer).setUint32(20, 480);
  return bytes;
}

async function upload(
  api: 'agent' | 'customer',
  authorization: string,
  file: { bytes: Uint8Array; name: string; type: string },
  field = 'file',
) {
  const form = new FormData();
  form.append(field, new Blob([file.bytes], { type: file.type }), file.name);
  const query = api === 'customer' ? `?organization_id=${harness.organization.id}` : '';
  const response = await fetch(`${harness.gateway.url}/v3.6/${api}/action/upload_file${query}`, {
    method: 'POST',
    headers: { authorization },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('upload_file', () => {
  it('stores an agent upload in object storage and serves it back at the returned url', async () => {
    const answer = await upload('agent', agentBasic(harness), {
      bytes: pngHeader(),
      name: 'shot.png',
      type: 'image/png',
    });
    expect(answer.status).toBe(200);
    const url = answer.body.url as string;
    expect(url).toMatch(
      new RegExp(
        `^${harness.gateway.url}/files/${harness.organization.id}/[0-9a-f-]{36}/shot\\.png\\?expires=\\d+&key=development&signature=[\\w-]{43}$`,
      ),
    );
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(pngHeader());
    // The upload link lasts 24 hours (spec: "temp, 24 h unless used").
    const expires = Number(new URL(url).searchParams.get('expires'));
    expect(expires * 1000 - Date.now()).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    expect(expires * 1000 - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
  });

  it('serves a file only at a link it signed, unexpired', async () => {
    const { body } = await upload('agent', agentBasic(harness), {
      bytes: new TextEncoder().encode('private'),
      name: 'private.txt',
      type: 'text/plain',
    });
    const signed = new URL(body.url as string);
    const unsigned = `${signed.origin}${signed.pathname}`;
    expect((await fetch(unsigned)).status).toBe(404);
    const tampered = new URL(signed);
    tampered.searchParams.set('expires', String(Number(signed.searchParams.get('expires')) + 1));
    expect((await fetch(tampered)).status).toBe(404);
    const otherName = new URL(signed);
    otherName.pathname = signed.pathname.replace('private.txt', 'other.txt');
    expect((await fetch(otherName)).status).toBe(404);

    // An upload link a day old: signed with the gateway's key, but expired.
    const keys = parseFileLinkKeys(developmentFileLinkKeys);
    const expired = `${unsigned}${signFilePath(signed.pathname, keys, Math.floor(Date.now() / 1000) - 1)}`;
    const answer = await fetch(expired);
    expect(answer.status).toBe(403);
    expect(errorOf((await answer.json()) as Record<string, unknown>)).toBe('authorization');
    const sent = await webCall(harness, 'agent', 'send_event', {
      authorization: agentBasic(harness),
      body: { chat_id: 'PJ0MRSHTDG', event: { type: 'file', url: expired } },
    });
    expect([sent.status, errorOf(sent.body)]).toEqual([400, 'validation']);
    expect(chatStore).toHaveLength(0);
  });

  it('takes customer uploads, and serves other types as downloads', async () => {
    const customer = await aCustomer(harness);
    const answer = await upload('customer', customer.authorization, {
      bytes: new TextEncoder().encode('<script>alert(1)</script>'),
      name: 'page.html',
      type: 'text/html',
    });
    expect(answer.status).toBe(200);
    const served = await fetch(answer.body.url as string);
    expect(served.headers.get('content-disposition')).toMatch(/^attachment/);
  });

  it('refuses executables, files over 10 MB, and a request without the file field', async () => {
    const exe = await upload('agent', agentBasic(harness), {
      bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0]),
      name: 'invoice.pdf',
      type: 'application/pdf',
    });
    expect([exe.status, errorOf(exe.body)]).toEqual([400, 'validation']);
    const big = await upload('agent', agentBasic(harness), {
      bytes: new Uint8Array(10 * 1024 * 1024 + 1),
      name: 'big.bin',
      type: 'application/octet-stream',
    });
    expect([big.status, errorOf(big.body)]).toEqual([413, 'entity_too_large']);
    const wrongField = await upload(
      'agent',
      agentBasic(harness),
      { bytes: new Uint8Array([1]), name: 'a.txt', type: 'text/plain' },
      'attachment',
    );
    expect(errorOf(wrongField.body)).toBe('validation');
    const json = await webCall(harness, 'agent', 'upload_file', {
      authorization: agentBasic(harness),
      body: { file: 'x' },
    });
    expect(errorOf(json.body)).toBe('validation');
  });

  it('answers not_found for a file that does not exist', async () => {
    const response = await fetch(
      `${harness.gateway.url}/files/${harness.organization.id}/00000000-0000-4000-8000-000000000000/x`,
    );
    expect(response.status).toBe(404);
  });
});

describe('file events', () => {
  it('carry the stored name, type, size and image dimensions, whatever the client claims', async () => {
    const { body } = await upload('agent', agentBasic(harness), {
      bytes: pngHeader(),
      name: 'photo.png',
      type: 'image/png',
    });
    const answer = await webCall(harness, 'agent', 'send_event', {
      authorization: agentBasic(harness),
      body: {
        chat_id: 'PJ0MRSHTDG',
        event: { type: 'file', url: body.url, name: 'lie.exe', size: 1 },
      },
    });
    expect(answer).toEqual({ status: 200, body: { event_id: 'E_1' } });
    // Sent in an event, the file keeps a lasting link: the same path, signed without expiry.
    const uploaded = new URL(body.url as string);
    const stored = JSON.parse(chatStore[0]!.payloadJson).event;
    const lasting = new URL(stored.url);
    expect(`${lasting.origin}${lasting.pathname}`).toBe(`${uploaded.origin}${uploaded.pathname}`);
    expect(lasting.searchParams.has('expires')).toBe(false);
    expect((await fetch(lasting)).status).toBe(200);
    expect(stored).toEqual({
      type: 'file',
      url: lasting.href,
      name: 'photo.png',
      content_type: 'image/png',
      size: 33,
      width: 640,
      height: 480,
    });
  });

  it('describe files in a started chat; a url elsewhere keeps only its name; an unknown one of ours is refused', async () => {
    const { body } = await upload('agent', agentBasic(harness), {
      bytes: new TextEncoder().encode('notes'),
      name: 'notes.txt',
      type: 'text/plain',
    });
    await webCall(harness, 'agent', 'start_chat', {
      authorization: agentBasic(harness),
      body: {
        chat: {
          thread: {
            events: [
              { type: 'message', text: 'see file' },
              { type: 'file', url: body.url },
              { type: 'file', url: 'https://cdn.example.test/a/report%201.pdf', size: 9 },
            ],
          },
        },
      },
    });
    const events = JSON.parse(chatStore[0]!.payloadJson).chat.thread.events;
    expect(events[1]).toMatchObject({ name: 'notes.txt', content_type: 'text/plain', size: 5 });
    expect(events[2]).toEqual({
      type: 'file',
      url: 'https://cdn.example.test/a/report%201.pdf',
      name: 'report 1.pdf',
    });
    const unknown = await webCall(harness, 'agent', 'send_event', {
      authorization: agentBasic(harness),
      body: {
        chat_id: 'PJ0MRSHTDG',
        event: {
          type: 'file',
          url: `${harness.gateway.url}/files/${harness.organization.id}/00000000-0000-4000-8000-000000000000/x`,
        },
      },
    });
    expect(errorOf(unknown.body)).toBe('validation');
  });
});

describe('file link keys', () => {
  it('rotate without downtime: every listed key verifies, the first signs', async () => {
    const { body } = await upload('agent', agentBasic(harness), {
      bytes: new TextEncoder().encode('rotating'),
      name: 'r.txt',
      type: 'text/plain',
    });
    const before = new URL(body.url as string);
    const onGateway = (link: URL) => `${harness.gateway.url}${link.pathname}${link.search}`;
    const fresh = `next:${randomBytes(32).toString('base64')}`;
    try {
      // Step 1: the new key is known (after the current one); links of the current still work.
      await harness.restart({ FILE_LINK_KEYS: `${developmentFileLinkKeys},${fresh}` });
      expect((await fetch(onGateway(before))).status).toBe(200);
      // Step 2: the new key signs; the old one still verifies.
      await harness.restart({ FILE_LINK_KEYS: `${fresh},${developmentFileLinkKeys}` });
      const { body: next } = await upload('agent', agentBasic(harness), {
        bytes: new TextEncoder().encode('rotated'),
        name: 'n.txt',
        type: 'text/plain',
      });
      const after = new URL(next.url as string);
      expect(after.searchParams.get('key')).toBe('next');
      expect((await fetch(onGateway(after))).status).toBe(200);
      expect((await fetch(onGateway(before))).status).toBe(200);
      // Step 3: the old key is retired, and its links with it.
      await harness.restart({ FILE_LINK_KEYS: fresh });
      expect((await fetch(onGateway(after))).status).toBe(200);
      expect((await fetch(onGateway(before))).status).toBe(404);
    } finally {
      await harness.restart();
    }
  });
});
