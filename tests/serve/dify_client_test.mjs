// Drives `flowbench serve` the way a Dify client does: blocking and streaming workflow runs, a
// two-turn chatflow conversation, /v1/parameters and a wrong key.
//
//   node tests/serve/dify_client_test.mjs FLOWBENCH_BINARY SOURCE_DIR
//
// It uses the official `dify-client` SDK from npm when it can be imported (run
// `npm install --prefix tests/serve` once, with network, to get it); otherwise a client that
// sends exactly what that SDK sends (its ChatClient.createChatMessage and
// CompletionClient.runWorkflow bodies, Bearer auth, SSE over the response body) with Node's
// built-in fetch. The test never needs the network: the LLM is `flowbench simulate` on loopback.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [binary, sourceDir] = process.argv.slice(2);
if (!binary || !sourceDir) {
  console.error('usage: node dify_client_test.mjs FLOWBENCH_BINARY SOURCE_DIR');
  process.exit(2);
}
if (typeof fetch !== 'function') {
  console.log(`SKIP: Node ${process.version} has no fetch; Node 18 or newer is needed`);
  process.exit(77);
}
const API_KEY = 'app-flowbench-test';
const work = mkdtempSync(path.join(tmpdir(), 'flowbench-serve-'));
const children = [];
const watchdog = setTimeout(() => fail(new Error('timed out after 90 s')), 90000);

function fail(error) {
  console.error(`FAIL: ${error.stack || error}`);
  for (const c of children) c.kill('SIGKILL');
  process.exit(1);
}

// Starts the binary and resolves with the port it announces on `stream`.
function start(args, stream, pattern) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: {
        ...process.env,
        FLOWBENCH_RUN_STORE: path.join(work, 'runs.sqlite'),
        XDG_CONFIG_HOME: path.join(work, 'config'),
        XDG_DATA_HOME: path.join(work, 'data'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let text = '';
    child.log = '';
    child.stderr.on('data', (d) => { child.log += d; });
    child[stream].on('data', (d) => {
      text += d;
      const m = text.match(pattern);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${text}`)));
  });
}

// Server-sent events of a streamed body (web ReadableStream or Node stream), `data:` JSON and
// `event: ping` blocks.
async function readSse(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  const events = [];
  for await (const part of body) {
    buffer += typeof part === 'string' ? part : decoder.decode(part, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith('event: ping')) events.push({ event: 'ping' });
      else if (block.startsWith('data: ')) events.push(JSON.parse(block.slice(6)));
    }
  }
  return events;
}

// The dify-client SDK's requests, with fetch (its response has `status` and `data` like axios).
class FetchDifyClient {
  constructor(apiKey, baseUrl) {
    this.apiKey = apiKey;
    this.baseUrl = baseUrl;
  }
  async sendRequest(method, endpoint, data = null, stream = false) {
    const response = await fetch(`${this.baseUrl}${endpoint}`, {
      method,
      headers: { Authorization: `Bearer ${this.apiKey}`, 'Content-Type': 'application/json' },
      ...(method !== 'GET' && data !== null && { body: JSON.stringify(data) }),
    });
    if (!response.ok) {
      const error = new Error(`HTTP ${response.status}`);
      error.response = { status: response.status, data: await response.json() };
      throw error;
    }
    return { status: response.status, data: stream ? response.body : await response.json() };
  }
  getApplicationParameters(user) {
    return this.sendRequest('GET', `/parameters?user=${encodeURIComponent(user)}`);
  }
  runWorkflow(inputs, user, stream = false, files = null) {
    return this.sendRequest('POST', '/workflows/run',
      { inputs, user, response_mode: stream ? 'streaming' : 'blocking', files }, stream);
  }
  createChatMessage(inputs, query, user, stream = false, conversation_id = null, files = null) {
    const data = { inputs, query, user, response_mode: stream ? 'streaming' : 'blocking', files };
    if (conversation_id) data.conversation_id = conversation_id;
    return this.sendRequest('POST', '/chat-messages', data, stream);
  }
}

async function loadClients(baseUrl, apiKey) {
  try {
    const sdk = await import('dify-client');
    console.log('using the dify-client SDK from npm');
    return {
      workflow: new sdk.CompletionClient(apiKey, baseUrl),
      chat: new sdk.ChatClient(apiKey, baseUrl),
      params: new sdk.DifyClient(apiKey, baseUrl),
      sdk: true,
    };
  } catch {
    console.log('dify-client is not installed: using fetch with the same requests');
    const c = new FetchDifyClient(apiKey, baseUrl);
    return { workflow: c, chat: c, params: c, sdk: false };
  }
}

async function main() {
  const examples = path.join(sourceDir, 'resources', 'examples');
  const sim = await start(['simulate', '--port', '0'], 'stdout', /listening on http:\/\/127\.0\.0\.1:(\d+)\/v1/);
  const serveArgs = (file) => ['serve', path.join(examples, file), '--port', '0', '--api-key', API_KEY,
    '--endpoint', `http://127.0.0.1:${sim.port}/v1`, '--model', 'flowbench-sim'];
  const announced = /on http:\/\/127\.0\.0\.1:(\d+)\/v1 \(/;
  const wf = await start(serveArgs('hello_branching.yml'), 'stderr', announced);
  const chat = await start(serveArgs('support_chatflow.yml'), 'stderr', announced);

  const w = await loadClients(`http://127.0.0.1:${wf.port}/v1`, API_KEY);
  const c = await loadClients(`http://127.0.0.1:${chat.port}/v1`, API_KEY);

  // /v1/parameters: the start node's form.
  const params = (await w.params.getApplicationParameters('node-user')).data;
  assert.equal(params.user_input_form[0]['text-input'].variable, 'query');

  // Blocking workflow run.
  const blocking = (await w.workflow.runWorkflow({ query: 'hello from node' }, 'node-user')).data;
  assert.equal(blocking.data.status, 'succeeded');
  assert.equal(blocking.data.outputs.true, 'hello from node');
  assert.equal(blocking.workflow_run_id, blocking.data.id);
  console.log('ok - blocking workflow run');

  // Streaming workflow run.
  const streamed = await readSse((await w.workflow.runWorkflow({ query: 'bye' }, 'node-user', true)).data);
  const names = streamed.map((e) => e.event);
  assert.equal(names[0], 'workflow_started');
  assert.equal(names.at(-1), 'workflow_finished');
  assert.ok(names.includes('node_started') && names.includes('node_finished'), names.join());
  const text = streamed.filter((e) => e.event === 'text_chunk').map((e) => e.data.text).join('');
  assert.equal(text, 'bye');
  assert.equal(streamed.at(-1).data.outputs.false, 'bye');
  console.log('ok - streaming workflow run');

  // A chatflow conversation: a blocking turn, then a streamed one that continues it.
  const first = (await c.chat.createChatMessage({}, 'I want a refund for my invoice', 'node-user')).data;
  assert.equal(first.event, 'message');
  assert.equal(first.mode, 'advanced-chat');
  assert.match(first.answer, /I want a refund for my invoice/);
  assert.ok(first.metadata.usage.total_tokens > 0);
  const second = await readSse((await c.chat.createChatMessage({}, 'How long does it take?',
    'node-user', true, first.conversation_id)).data);
  assert.equal(second.at(-1).event, 'message_end');
  assert.ok(second.at(-1).metadata.usage.completion_tokens > 0);
  assert.ok(second.every((e) => e.event === 'ping' || e.conversation_id === first.conversation_id));
  const answer = second.filter((e) => e.event === 'message').map((e) => e.answer).join('');
  assert.match(answer, /How long does it take\?/);
  console.log('ok - chatflow conversation, blocking then streaming');

  // A wrong key: 401 in Dify's error shape.
  const wrong = new FetchDifyClient('app-wrong', `http://127.0.0.1:${wf.port}/v1`);
  await assert.rejects(wrong.runWorkflow({ query: 'x' }, 'u'), (e) => {
    assert.equal(e.response.status, 401);
    assert.equal(e.response.data.code, 'unauthorized');
    return true;
  });
  console.log('ok - 401 with a wrong key');

  // SIGTERM: clean exit.
  for (const s of [wf, chat]) {
    const exited = new Promise((resolve) => s.child.removeAllListeners('exit').on('exit', resolve));
    s.child.kill('SIGTERM');
    assert.equal(await exited, 0, s.child.log);
  }
  sim.child.removeAllListeners('exit');
  sim.child.kill('SIGTERM');
  console.log(`PASS (${w.sdk ? 'dify-client SDK' : 'fetch'})`);
}

main()
  .then(() => {
    clearTimeout(watchdog);
    rmSync(work, { recursive: true, force: true });
  })
  .catch(fail);
