// Runs every OneEntry call the bot uses through the official SDK (oneentry 1.0.149), with the
// SDK's response validation on in strict mode, against the project URL it is given.
//
// Configured by the bot's own setting names (environment):
//   ONEENTRY_PROJECT_URL, ONEENTRY_APP_TOKEN, ONEENTRY_GUEST_LOGIN, ONEENTRY_GUEST_PASSWORD
//   and optionally ONEENTRY_AUTH_PROVIDER, ONEENTRY_LOGIN_MARKER, ONEENTRY_PASSWORD_MARKER,
//   ONEENTRY_LANG, ONEENTRY_ORDER_STORAGE, ONEENTRY_ORDER_FORM, ONEENTRY_NAME_FIELD,
//   ONEENTRY_PHONE_FIELD, ONEENTRY_EMAIL_FIELD,
// and by what the shop is like (the emulator's test harness derives these from the shop):
//   CONTRACT_PAYMENT_LINKS  accounts to order with and the link each gives, first one first:
//                           "cash:none,stripe:immediate" (default), or "paypal:delayed"
//   CONTRACT_SESSION_STATUS the status a new payment session is in (default "waiting")
//   CONTRACT_OTHER_LANG     a second language to read an order in (default: none)
//   CONTRACT_CONTROL_URL    the emulator's /__sandbox__ base; when set, the script publishes
//                           delayed payment links and expires access tokens through it, and
//                           checks the SDK's own 401 -> refresh -> retry (AutoRefresh.* calls)
//   CONTRACT_REQUEST_TIMEOUT_MS.
// Prints one JSON line per call (see report.mjs); exits 1 if any call failed, 2 on bad usage.

import oneentry from 'oneentry';
import ordersSchemas from 'oneentry/dist/orders/ordersSchemas.js';
import paymentsSchemas from 'oneentry/dist/payments/paymentsSchemas.js';
import productsSchemas from 'oneentry/dist/products/productsSchemas.js';
import validation from 'oneentry/dist/base/validation.js';
import { z } from 'zod';

import { CallLog, schemaFailure } from './report.mjs';

const REQUIRED = ['ONEENTRY_PROJECT_URL', 'ONEENTRY_APP_TOKEN', 'ONEENTRY_GUEST_LOGIN', 'ONEENTRY_GUEST_PASSWORD'];

function readConfig(env) {
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length) {
    process.stderr.write(`run_sdk.mjs: set ${missing.join(', ')}\n`);
    process.exit(2);
  }
  return {
    url: env.ONEENTRY_PROJECT_URL,
    appToken: env.ONEENTRY_APP_TOKEN,
    login: env.ONEENTRY_GUEST_LOGIN,
    password: env.ONEENTRY_GUEST_PASSWORD,
    provider: env.ONEENTRY_AUTH_PROVIDER || 'email',
    loginMarker: env.ONEENTRY_LOGIN_MARKER || 'email_reg',
    passwordMarker: env.ONEENTRY_PASSWORD_MARKER || 'password_reg',
    lang: env.ONEENTRY_LANG || 'en_US',
    storage: env.ONEENTRY_ORDER_STORAGE || 'guest_orders',
    form: env.ONEENTRY_ORDER_FORM || 'guest_order',
    fields: {
      name: env.ONEENTRY_NAME_FIELD || 'guest_name',
      phone: env.ONEENTRY_PHONE_FIELD || 'guest_phone',
      email: env.ONEENTRY_EMAIL_FIELD || 'guest_email',
    },
    accounts: parseLinks(env.CONTRACT_PAYMENT_LINKS || 'cash:none,stripe:immediate'),
    formExtra: JSON.parse(env.CONTRACT_FORM_EXTRA || '[]'),
    phone: env.CONTRACT_PHONE || null,
    sessionStatus: env.CONTRACT_SESSION_STATUS || 'waiting',
    otherLang: env.CONTRACT_OTHER_LANG || null,
    controlUrl: env.CONTRACT_CONTROL_URL || null,
    requestTimeoutMs: Number(env.CONTRACT_REQUEST_TIMEOUT_MS || 5000),
  };
}

/** "cash:none,stripe:immediate" -> [{identifier: 'cash', link: 'none'}, ...] */
function parseLinks(text) {
  return text.split(',').map((part) => {
    const [identifier, link = 'none'] = part.trim().split(':');
    return { identifier, link };
  });
}

/** POST to the emulator's control API (never part of OneEntry's API). */
async function control(config, path) {
  const response = await fetch(`${config.controlUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  if (!response.ok) throw new Error(`control ${path} answered ${response.status}`);
  return response.json();
}

/**
 * Wrap the global fetch the SDK uses: note each request's method and path for the report, and
 * bound it in time, so a hanging route fails one named call instead of the whole run.
 */
function instrumentFetch(requestLog, timeoutMs) {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init = {}) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    requestLog.push(`${init.method ?? 'GET'} ${url.pathname}${url.search}`);
    return realFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
}

function buildSdk(config, { customAuth = true } = {}) {
  return oneentry.defineOneEntry(config.url, {
    token: config.appToken,
    langCode: config.lang,
    // searchProduct fetches each hit in full, as the bot expects.
    traficLimit: false,
    // customAuth: a 401 is reported instead of being papered over by the SDK's silent refresh
    // (except in the AutoRefresh.* calls, which check exactly that refresh).
    auth: { customAuth, providerMarker: config.provider },
    validation: { enabled: true, strictMode: true, logErrors: false },
    errors: { isShell: true },
  });
}

function authBody(config) {
  return {
    authData: [
      { marker: config.loginMarker, value: config.login },
      { marker: config.passwordMarker, value: config.password },
    ],
  };
}

const ProductListSchema = z.array(productsSchemas.ProductEntitySchema);

function orderForm(config, customer) {
  return [
    { marker: config.fields.name, type: 'string', value: customer.name },
    { marker: config.fields.phone, type: 'string', value: config.phone || customer.phone },
    { marker: config.fields.email, type: 'string', value: customer.email },
    ...config.formExtra, // the shop's other required fields, each in its type's shape
  ];
}

/** Products the emulator will let the guest order: visible, priced, and first in the list. */
function orderableProducts(products) {
  return products.filter((product) => product.isVisible && typeof product.price === 'number');
}

function expectedTotal(lines, products) {
  const priceOf = new Map(products.map((product) => [product.id, product.price]));
  return lines.reduce((sum, line) => sum + priceOf.get(line.productId) * line.quantity, 0);
}

function sameMoney(a, b) {
  return Math.abs(Number(a) - Number(b)) < 0.005;
}

/** The first account's calls carry the bare method name, the others `method[account]`. */
function callName(config, method, account) {
  return account === config.accounts[0].identifier ? method : `${method}[${account}]`;
}

function isUrl(value) {
  return /^https?:\/\//.test(value ?? '');
}

async function createOrder(log, sdk, config, account, products, customer) {
  const lines = products.slice(0, 2).map((product, index) => ({ productId: product.id, quantity: index + 1 }));
  const order = await log.run(callName(config, 'Orders.createOrder', account), {
    needs: [lines.length === 2 ? lines : undefined],
    call: () =>
      sdk.Orders.createOrder(config.storage, {
        formIdentifier: config.form,
        paymentAccountIdentifier: account,
        formData: orderForm(config, customer),
        products: lines,
      }),
    expect: (created) => {
      if (!Number.isInteger(created.id) || created.id <= 0) return `order id ${JSON.stringify(created.id)} is not a positive integer`;
      if (created.paymentAccountIdentifier !== account) return `paymentAccountIdentifier is ${created.paymentAccountIdentifier}, not ${account}`;
      const total = expectedTotal(lines, products);
      if (!sameMoney(created.totalSum, total)) return `totalSum ${created.totalSum} is not the catalogue total ${total}`;
      return null;
    },
  });
  return { order, lines };
}

async function createSession(log, sdk, config, { identifier: account, link }, order) {
  return log.run(callName(config, 'Payments.createSession', account), {
    needs: [order],
    call: () => sdk.Payments.createSession(order.id, 'session', false),
    expect: (created) => {
      if (created.orderId !== order.id) return `session is for order ${created.orderId}, not ${order.id}`;
      if (created.status !== config.sessionStatus) return `a new session has status ${created.status}, not ${config.sessionStatus}`;
      if (link !== 'immediate' && created.paymentUrl !== null) return `a ${account} session (link ${link}) has paymentUrl ${created.paymentUrl}`;
      if (link === 'immediate' && !isUrl(created.paymentUrl)) return `a ${account} session has no paymentUrl`;
      return null;
    },
  });
}

/** A delayed link (PayPal) appears later; the emulator's control API makes that happen now. */
async function publishDelayedLink(config, { link }, session) {
  if (link !== 'delayed' || !session || !config.controlUrl) return session;
  const published = await control(config, `/sessions/${session.id}/publish-link`);
  return { ...session, paymentUrl: published.paymentUrl };
}

async function getSessionByOrderId(log, sdk, config, { identifier: account, link }, order, session) {
  return log.run(callName(config, 'Payments.getSessionByOrderId', account), {
    needs: [order, session],
    call: () => sdk.Payments.getSessionByOrderId(order.id),
    expect: (found) => {
      if (!Array.isArray(found)) return 'not an array (the bot reads [0])';
      if (found[0]?.id !== session.id) return `[0] is session ${found[0]?.id}, not ${session.id}`;
      if (link === 'none' && found[0].paymentUrl !== null) return `a ${account} session has paymentUrl ${found[0].paymentUrl}`;
      if (link !== 'none' && (!isUrl(found[0].paymentUrl) || found[0].paymentUrl !== session.paymentUrl)) {
        return `paymentUrl ${found[0].paymentUrl} is not the session's link ${session.paymentUrl}`;
      }
      return null;
    },
  });
}

/**
 * The SDK's own recovery of an expired access token, with customAuth off: the call gets 401,
 * the SDK refreshes (from its Orders module, whose device id differs from the one that logged
 * in) and retries once. Only against the emulator, which can expire tokens on demand.
 */
async function autoRefresh(log, config) {
  if (!config.controlUrl) return;
  const sdk = buildSdk(config, { customAuth: false });
  const tokens = await log.run('AutoRefresh.AuthProvider.auth', {
    call: () => sdk.AuthProvider.auth(config.provider, authBody(config)),
  });
  if (tokens) await control(config, '/tokens/expire');
  await log.run('AutoRefresh.Orders.getOrdersStorageByMarker', {
    needs: [tokens],
    call: () => sdk.Orders.getOrdersStorageByMarker(config.storage, config.lang),
    expect: (storage) => {
      if (storage.identifier !== config.storage) return `got storage ${storage.identifier}, not ${config.storage}`;
      const sent = log.requestLog.map((request) => request.split('?')[0]);
      const storagePath = `GET /api/content/orders-storage/marker/${config.storage}`;
      const refreshPath = `POST /api/content/users-auth-providers/marker/${config.provider}/users/refresh`;
      const wanted = [storagePath, refreshPath, storagePath];
      return JSON.stringify(sent) === JSON.stringify(wanted) ? null : `requests were ${sent}, not ${wanted} (401, refresh, retry)`;
    },
  });
}

async function main() {
  const config = readConfig(process.env);
  const requestLog = [];
  instrumentFetch(requestLog, config.requestTimeoutMs);
  const sdk = buildSdk(config);
  const { AuthProvider, Locales, Products, ProductStatuses, Forms, Orders, Payments } = sdk;
  const log = new CallLog(requestLog);
  const customer = { name: 'Contract Test', phone: '+15550000001', email: 'contract@test.example' };

  const tokens = await log.run('AuthProvider.auth', {
    call: () => AuthProvider.auth(config.provider, authBody(config)),
  });

  const refreshed = await log.run('AuthProvider.refresh', {
    needs: [tokens],
    call: () => AuthProvider.refresh(config.provider, tokens.refreshToken),
    expect: (fresh) =>
      schemaFailure(validation.AuthEntitySchema, fresh) ??
      (fresh.refreshToken === tokens.refreshToken ? 'the refresh token did not rotate' : null),
  });

  await log.run('Locales.getLocales', {
    call: () => Locales.getLocales(),
    expect: (locales) => {
      if (!Array.isArray(locales) || locales.length === 0) return 'no active locales';
      const codes = locales.map((locale) => locale.code);
      const wanted = [config.lang, config.otherLang].filter(Boolean);
      return wanted.every((code) => codes.includes(code)) ? null : `locales are ${codes}, not including ${wanted}`;
    },
  });

  const page = await log.run('Products.getProducts', {
    call: () => Products.getProducts([], config.lang, { offset: 0, limit: 10, sortKey: 'position', sortOrder: 'ASC' }),
    expect: (list) => {
      if (list.items.length === 0) return 'no products';
      if (list.items.length > 10) return `limit=10 returned ${list.items.length} items`;
      if (list.total < list.items.length) return `total ${list.total} < ${list.items.length} items`;
      const positions = list.items.map((product) => product.position);
      if (positions.some((position, i) => i > 0 && position < positions[i - 1])) return `not sorted by position ASC: ${positions}`;
      return null;
    },
  });
  const products = page ? orderableProducts(page.items) : [];
  const [first, second] = products;

  await log.run('Products.getProductById', {
    needs: [first],
    call: () => Products.getProductById(first.id, config.lang),
    expect: (product) => (product.id === first.id ? null : `got product ${product.id}, not ${first.id}`),
  });

  await log.run('Products.getProductsByIds', {
    needs: [first, second],
    call: () => Products.getProductsByIds(`${first.id},${second.id}`, config.lang),
    expect: (list) => {
      const invalid = schemaFailure(ProductListSchema, list);
      if (invalid) return invalid;
      const ids = list.map((product) => product.id).sort((a, b) => a - b);
      const wanted = [first.id, second.id].sort((a, b) => a - b);
      return JSON.stringify(ids) === JSON.stringify(wanted) ? null : `got ids ${ids}, not ${wanted}`;
    },
  });

  const searchWord = first?.localizeInfos?.title?.split(/\s+/)[0];
  await log.run('Products.searchProduct', {
    needs: [searchWord],
    call: () => Products.searchProduct(searchWord, config.lang),
    expect: (found) => {
      if (!Array.isArray(found)) return 'not an array';
      return found.some((product) => product.id === first.id) ? null : `searching "${searchWord}" did not find product ${first.id}`;
    },
  });

  await log.run('ProductStatuses.getProductStatuses', {
    call: () => ProductStatuses.getProductStatuses(config.lang),
    expect: (statuses) => (Array.isArray(statuses) && statuses.length > 0 ? null : 'no product statuses'),
  });

  await log.run('Forms.getFormByMarker', {
    call: () => Forms.getFormByMarker(config.form, config.lang),
    expect: (form) => {
      const attributes = Array.isArray(form.attributes) ? form.attributes : Object.values(form.attributes ?? {});
      const markers = new Set(attributes.map((attribute) => attribute.marker));
      const absent = Object.values(config.fields).filter((marker) => !markers.has(marker));
      return absent.length ? `form lacks fields ${absent}` : null;
    },
  });

  await log.run('Orders.getOrdersStorageByMarker', {
    needs: [tokens],
    call: () => Orders.getOrdersStorageByMarker(config.storage, config.lang),
    expect: (storage) => {
      const invalid = schemaFailure(ordersSchemas.OrderStorageSchema, storage);
      if (invalid) return invalid;
      if (storage.formIdentifier !== config.form) return `storage form is ${storage.formIdentifier}, not ${config.form}`;
      const accounts = storage.paymentAccountIdentifiers.map((account) => account.identifier);
      const wanted = config.accounts.map((account) => account.identifier);
      return wanted.every((account) => accounts.includes(account)) ? null : `storage accounts are ${accounts}, not including ${wanted}`;
    },
  });

  const [main, ...others] = config.accounts;
  const placed = await createOrder(log, sdk, config, main.identifier, products, customer);

  await log.run('Orders.getAllOrdersByMarker', {
    needs: [placed.order],
    call: () => Orders.getAllOrdersByMarker(config.storage, config.lang, 0, 30),
    expect: (list) => (list.items.some((order) => order.id === placed.order.id) ? null : `order ${placed.order.id} is not listed`),
  });

  await log.run('Orders.getOrderByMarkerAndId', {
    needs: [placed.order],
    call: () => Orders.getOrderByMarkerAndId(config.storage, placed.order.id, config.lang),
    expect: (order) => {
      if (order.id !== placed.order.id) return `got order ${order.id}, not ${placed.order.id}`;
      if (!sameMoney(order.totalSum, placed.order.totalSum)) return `totalSum ${order.totalSum} differs from ${placed.order.totalSum} at creation`;
      return null;
    },
  });

  if (config.otherLang) {
    await log.run(`Orders.getOrderByMarkerAndId[${config.otherLang}]`, {
      needs: [placed.order],
      call: () => Orders.getOrderByMarkerAndId(config.storage, placed.order.id, config.otherLang),
      // The raw formData may be {"<written lang>": [...]} here (the SDK's schema allows it);
      // 1.0.149 then unwraps it with its configured langCode, not the one of this call.
      expect: (order) => {
        if (order.id !== placed.order.id) return `got order ${order.id}, not ${placed.order.id}`;
        return Array.isArray(order.formData) ? null : `formData is not a list after the SDK: ${JSON.stringify(order.formData)}`;
      },
    });
  }

  await log.run('Orders.getAllStatusesByStorageMarker', {
    needs: [tokens],
    call: () => Orders.getAllStatusesByStorageMarker(config.storage, config.lang, 0, 30),
    expect: (statuses) => {
      if (!Array.isArray(statuses) || statuses.length === 0) return 'no order statuses';
      return statuses.some((status) => status.isDefault) ? null : 'no default order status';
    },
  });

  await log.run('Orders.updateOrderByMarkerAndId', {
    needs: [placed.order],
    call: () =>
      Orders.updateOrderByMarkerAndId(
        config.storage,
        placed.order.id,
        {
          formIdentifier: config.form,
          paymentAccountIdentifier: main.identifier,
          formData: orderForm(config, { ...customer, name: 'Contract Test Updated' }),
          products: placed.lines,
        },
        config.lang,
      ),
    expect: (order) => (order.id === placed.order.id ? null : `updated order ${order.id}, not ${placed.order.id}`),
  });

  await log.run('Payments.getAccounts', {
    needs: [tokens],
    call: () => Payments.getAccounts(),
    expect: (accounts) => {
      const identifiers = accounts.map((account) => account.identifier);
      const wanted = config.accounts.map((account) => account.identifier);
      return wanted.every((account) => identifiers.includes(account)) ? null : `accounts are ${identifiers}, not including ${wanted}`;
    },
  });

  const created = await createSession(log, sdk, config, main, placed.order);

  await log.run('Payments.getSessionById', {
    needs: [created],
    call: () => Payments.getSessionById(created.id),
    expect: (found) =>
      schemaFailure(paymentsSchemas.PaymentSessionSchema, found) ??
      (found.id === created.id ? null : `got session ${found.id}, not ${created.id}`) ??
      (found.paymentUrl === created.paymentUrl ? null : `paymentUrl ${found.paymentUrl} differs from ${created.paymentUrl} at creation`),
  });

  const session = await publishDelayedLink(config, main, created);
  await getSessionByOrderId(log, sdk, config, main, placed.order, session);

  await log.run('Payments.getSessions', {
    needs: [session],
    call: () => Payments.getSessions(0, 30),
    expect: (list) => (list.items.some((listed) => listed.id === session.id) ? null : `session ${session.id} is not listed`),
  });

  for (const account of others) {
    const other = await createOrder(log, sdk, config, account.identifier, products, customer);
    const otherCreated = await createSession(log, sdk, config, account, other.order);
    const otherSession = await publishDelayedLink(config, account, otherCreated);
    await getSessionByOrderId(log, sdk, config, account, other.order, otherSession);
  }

  await log.run('AuthProvider.logout', {
    needs: [refreshed],
    call: () => AuthProvider.logout(config.provider, refreshed.refreshToken),
    expect: (result) => (result === true ? null : `logout returned ${JSON.stringify(result)}, not true`),
  });

  await autoRefresh(log, config);

  process.exitCode = log.failures ? 1 : 0;
}

await main();
