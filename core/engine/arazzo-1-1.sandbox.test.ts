/**
 * Arazzo 1.1.0 through the real SDK against the sandbox: a 1.1 copy of the seed (RFC 9535 filters
 * instead of the 1.0 "query op literal" form) completes, and a step `timeout` ends the step.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { loadWorkflowDocument } from '../arazzo/document';
import { createAwsSession, type AwsSession } from '../aws/session';
import type { Clock } from './clock';
import type { RunEvent } from './events';
import { startRun } from './run';
import { ONBOARD, SEED_TEXT, tempStore } from './test-support/harness';
import { sandboxDrivenClock } from './test-support/sandbox-clock';

let sb: Sandbox;
let session: AwsSession;
let store: ReturnType<typeof tempStore>;

beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
  store = tempStore();
});
afterEach(async () => {
  session.close();
  await sb.close();
  store.cleanup();
});

const sandboxClock = (): Clock => sandboxDrivenClock(sb);

/** What the 2026 Arazzo tooling makes of the seed: version 1.1.0, RFC 9535 filter queries. */
export const SEED_1_1 = SEED_TEXT.replace(/^arazzo: 1\.0\.\d+$/m, 'arazzo: 1.1.0').replace(/condition: \$\.(\w+)\.(\w+) == "(\w+)"/g, 'condition: $[?@.$2 == "$3"]');

function run(text: string) {
  const events: RunEvent[] = [];
  const handle = startRun({
    document: loadWorkflowDocument(text, { binding: session.binding }),
    documentText: text,
    workflowId: ONBOARD,
    inputs: {
      datastoreName: 'arazzo-11',
      datastoreClientToken: '',
      dataAccessRoleArn: sb.demo.dataAccessRoleArn,
      importClientToken: '',
      inputS3Uri: sb.demo.inputS3Uri,
      outputS3Uri: sb.demo.outputS3Uri,
    },
    binding: session.binding,
    store: store.store,
    context: session.describe(),
    clock: sandboxClock(),
    onEvent: (e) => events.push(e),
  });
  return { events, done: handle.done };
}

describe('Arazzo 1.1.0 documents', () => {
  it('the 1.1.0 copy of the seed really uses RFC 9535 filters and completes', async () => {
    expect(SEED_1_1).toMatch(/^arazzo: 1\.1\.0$/m);
    expect(SEED_1_1).toContain('condition: $[?@.datastoreStatus == "ACTIVE"]');
    expect(SEED_1_1).not.toMatch(/condition: \$\.\w+\.\w+ ==/);
    const { done, events } = run(SEED_1_1);
    const ended = await done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toMatchObject({ jobStatus: 'COMPLETED' });
    expect(events.some((e) => e.type === 'response-received' && (e as { observedStatus?: string }).observedStatus === 'CREATING')).toBe(true);
  });

  it('a 1 ms step timeout on the polling step ends the run timed out, naming the timeout', async () => {
    const text = SEED_1_1.replace(/(  - stepId: pollDatastore\n)/, '$1    timeout: 1\n');
    expect(text).toContain('timeout: 1\n');
    const ended = await run(text).done;
    expect(ended.status).toBe('timed_out');
    expect(ended.error).toMatchObject({ code: 'DeadlineExceeded', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('its timeout of 1 ms');
    expect(ended.outputs.jobId).toBeUndefined();
  });
});
