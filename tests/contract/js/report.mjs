// How one SDK call is judged and reported: one JSON line on stdout per call.
//
// With `errors.isShell: true` the SDK returns failures as data instead of throwing them: an HTTP
// error body (`statusCode` >= 400), its own strict-mode validation report (`statusCode` 422 with
// `validationErrors`), or a network `Error`. All of them count as failures here, as does
// anything thrown, and any expectation of the bot's that the result does not meet.

import validation from 'oneentry/dist/base/validation.js';

// Keys worth echoing in a sample. Tokens and customers' personal data are never printed.
const SAMPLE_KEYS = [
  'id',
  'identifier',
  'orderId',
  'status',
  'statusIdentifier',
  'paymentUrl',
  'totalSum',
  'currency',
  'formIdentifier',
  'paymentAccountIdentifier',
  'isDefault',
];

/** A failure the SDK reported inside a result, or null. */
export function sdkFailure(result) {
  if (result instanceof Error) {
    return { kind: 'exception', name: result.name, message: result.message, cause: String(result.cause ?? '') };
  }
  if (Array.isArray(result)) {
    // searchProduct collects getProductById results, errors included, into one array.
    for (const item of result) {
      const failure = sdkFailure(item);
      if (failure) return failure;
    }
    return null;
  }
  if (result !== null && typeof result === 'object' && typeof result.statusCode === 'number' && result.statusCode >= 400) {
    const failure = { kind: 'sdk', statusCode: result.statusCode, message: result.message };
    if (result.localizeMessage) failure.localizeMessage = result.localizeMessage;
    if (result.validationErrors) failure.validationErrors = result.validationErrors.map(issueSummary);
    return failure;
  }
  return null;
}

/** Validate with one of the SDK's own schemas where the SDK method itself skips validation. */
export function schemaFailure(schema, data) {
  const outcome = validation.validateResponse(schema, data, { logErrors: false });
  if (outcome.success) return null;
  return { kind: 'schema', validationErrors: outcome.error.issues.map(issueSummary) };
}

function issueSummary(issue) {
  return { path: issue.path.join('.'), code: issue.code, message: issue.message };
}

/** A small, token-free picture of a result, so a failing run says what came back. */
export function sampleOf(result) {
  if (result === undefined) return null;
  if (result === null || typeof result !== 'object') return result;
  if (result instanceof Error) return null;
  if (Array.isArray(result)) return { length: result.length, first: pick(result[0]) };
  if (Array.isArray(result.items)) {
    return { total: result.total, count: result.items.length, first: pick(result.items[0]) };
  }
  return pick(result);
}

function pick(value) {
  if (value === null || typeof value !== 'object') return value ?? null;
  const picked = {};
  for (const key of SAMPLE_KEYS) if (key in value) picked[key] = value[key];
  if ('accessToken' in value) picked.accessToken = typeof value.accessToken === 'string' ? 'received' : 'missing';
  if ('refreshToken' in value) picked.refreshToken = typeof value.refreshToken === 'string' ? 'received' : 'missing';
  return picked;
}

/**
 * Runs SDK calls in order and prints one line per call:
 * {"call", "ok", "error", "sample", "requests"}. A call whose prerequisite failed is reported as
 * failed too, naming the prerequisite, so every expected call always has a line.
 */
export class CallLog {
  constructor(requestLog) {
    this.requestLog = requestLog;
    this.failures = 0;
  }

  /**
   * Run `call()`; `expect(result)` returns a failure (string or object) or null; `needs` lists
   * earlier results the call depends on. Returns the result, or undefined when the call failed.
   */
  async run(name, { needs = [], call, expect = () => null }) {
    const missing = needs.findIndex((need) => need === undefined);
    if (missing !== -1) {
      return this.#emit(name, { kind: 'skipped', message: `an earlier call this one needs failed (prerequisite #${missing + 1})` }, undefined, []);
    }
    this.requestLog.length = 0;
    let result;
    let failure;
    try {
      result = await call();
      failure = sdkFailure(result) ?? normalise(expect(result));
    } catch (error) {
      failure = { kind: 'thrown', name: error?.name ?? 'Error', message: String(error?.message ?? error) };
    }
    return this.#emit(name, failure, result, this.requestLog.splice(0));
  }

  #emit(name, failure, result, requests) {
    const ok = !failure;
    if (!ok) this.failures += 1;
    const sample = sdkFailure(result) ? null : sampleOf(result);
    const line = { call: name, ok, error: failure ?? null, sample, requests };
    process.stdout.write(JSON.stringify(line) + '\n');
    return ok ? result : undefined;
  }
}

function normalise(failure) {
  if (!failure) return null;
  return typeof failure === 'string' ? { kind: 'expectation', message: failure } : failure;
}
