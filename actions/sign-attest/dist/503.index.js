export const id = 503;
export const ids = [503];
export const modules = {

/***/ 93503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   octokit: () => (/* binding */ octokit)
/* harmony export */ });
/* unused harmony exports rateLimitOf, connectionFailure, parseRepo, currentRepo, traceId, inGitHubActions, refTag */
/* harmony import */ var _action_port_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1526);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(52087);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(20545);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6404);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(29179);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(68868);
/**
 * GitHub's REST API through Octokit with the retry plugin and a rate-limit policy (Octokit's
 * throttling plugin, or one PauseGate for the whole client), the base URL from `GITHUB_API_URL`
 * (GitHub Enterprise Server works unchanged), and the run's context.
 */







const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 451];
function octokit(token, opts = {}) {
    if (!token) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .GoshipError */ .$N('No GitHub token.', 'Pass `token: ${{ github.token }}` (the default) or a token with the permissions the action documents');
    }
    (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().mask(token);
    const retries = opts.rateLimitRetries ?? 4;
    const baseUrl = opts.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com';
    const gh = opts.gate
        ? // Rate limits are the gate's alone (429 included), so the retry plugin never re-sends into a window.
            (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, { baseUrl, retry: { doNotRetry: [...DO_NOT_RETRY, 429] }, request: { fetch: pauseOnHeaders(opts.gate) } }, rateLimitGate(opts.gate, retries), _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L)
        : pluginOctokit(token, baseUrl, retries);
    // Octokit merges request defaults shallowly, so every request shares one `request` options
    // object, and the retry plugin keeps its count there: concurrent requests would add to each
    // other's count (longer waits, fewer retries). Registered last, this hook runs first and gives
    // each request its own copy.
    gh.hook.before('request', (options) => {
        options.request = { ...options.request };
    });
    return gh;
}
function pluginOctokit(token, baseUrl, retries) {
    return (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        baseUrl,
        throttle: {
            onRateLimit: (after, options, _o, count) => {
                (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().annotation('warning', `GitHub primary rate limit hit on ${options.method} ${options.url}; waiting ${after} s (retry ${count + 1}/${retries}).`);
                return count < retries;
            },
            onSecondaryRateLimit: (after, options, _o, count) => {
                (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().info(`GitHub secondary rate limit on ${options.method} ${options.url}; waiting ${after} s.`);
                return count < retries;
            },
        },
        retry: { doNotRetry: DO_NOT_RETRY },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_6__/* .throttling */ .A);
}
const header = (h, name) => {
    const v = h?.[name];
    return v === undefined ? undefined : String(v);
};
/** Milliseconds until `x-ratelimit-reset`, measured on the server's clock when it sent `date`. */
function untilReset(h, localNow) {
    const reset = Number(header(h, 'x-ratelimit-reset'));
    if (!Number.isFinite(reset) || reset <= 0)
        return undefined;
    const serverNow = Date.parse(header(h, 'date') ?? '') || localNow;
    // One second more, as GitHub asks for "after" the reset and `date` has whole seconds.
    return Math.max(0, reset * 1000 - serverNow + 1000);
}
/**
 * The rate limit a failed request met, following GitHub's guidance: `retry-after` when present;
 * else, with `x-ratelimit-remaining: 0`, the primary limit until `x-ratelimit-reset`; else a
 * secondary limit (403 or 429 saying so) for at least a minute. Undefined for any other failure.
 */
function rateLimitOf(e, write, localNow = Date.now()) {
    const err = e;
    if (err?.status !== 403 && err?.status !== 429)
        return undefined;
    const h = err.response?.headers;
    const data = err.response?.data;
    const message = `${typeof data?.message === 'string' ? data.message : ''} ${err.message ?? ''}`;
    const after = (0,_retry_js__WEBPACK_IMPORTED_MODULE_4__/* .retryAfterMs */ .Vs)(h, localNow);
    if (header(h, 'x-ratelimit-remaining') === '0') {
        return { kind: 'primary', scope: 'all', waitMs: after ?? untilReset(h, localNow) ?? 60_000 };
    }
    if (after !== undefined || err.status === 429 || /secondary rate limit/i.test(message)) {
        return { kind: 'secondary', scope: write ? 'writes' : 'all', waitMs: after ?? 60_000 };
    }
    return undefined;
}
/**
 * fetch that closes the gate as soon as a refusal's headers arrive. Octokit reads the whole body
 * before it throws, and an upload worker that finished meanwhile would send its next request
 * into the window; the plugin below still does the waiting and the retry.
 */
function pauseOnHeaders(gate) {
    return async (input, init) => {
        const method = (init?.method ?? 'GET').toUpperCase();
        const write = method !== 'GET' && method !== 'HEAD';
        const what = `${method} ${pathOf(input)}`;
        // The last look before the wire: a refusal read while Octokit prepared this request holds it.
        await gate.hold(write, init?.signal ?? undefined);
        const port = (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)();
        // With debug logging on, when each request left and when the gate closed (millisecond times,
        // for reading a rate-limit pause against the requests around it).
        if (port.isDebug())
            port.debug(`${new Date().toISOString()} sent ${what}`);
        const res = await fetch(input, init);
        if (res.status === 403 || res.status === 429) {
            const headers = Object.fromEntries(res.headers.entries());
            const now = Date.now();
            const hit = rateLimitOf({ status: res.status, response: { headers } }, write, now);
            if (hit) {
                gate.pause(hit.scope, now + hit.waitMs);
                if (port.isDebug()) {
                    port.debug(`${new Date(now).toISOString()} ${res.status} on ${what}: ${hit.scope === 'all' ? 'requests' : 'writes'} held until ${new Date(now + hit.waitMs).toISOString()}`);
                }
            }
        }
        return res;
    };
}
function pathOf(input) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    try {
        const u = new URL(url);
        return u.pathname + u.search;
    }
    catch {
        return url;
    }
}
/**
 * The gate as an Octokit plugin. Registered before the retry plugin, so it is the innermost
 * layer: every attempt, the retry plugin's included, waits at the gate before it is sent.
 */
function rateLimitGate(gate, retries) {
    return (gh) => {
        gh.hook.wrap('request', async (request, options) => {
            const method = String(options.method).toUpperCase();
            const write = method !== 'GET' && method !== 'HEAD';
            const signal = options.request?.signal;
            for (let attempt = 1;; attempt++) {
                await gate.ready(write, signal);
                try {
                    const res = await request(options);
                    // The last request the budget allowed: nothing more goes out before the reset.
                    const h = res.headers;
                    if (header(h, 'x-ratelimit-remaining') === '0') {
                        const wait = untilReset(h, Date.now());
                        if (wait !== undefined)
                            gate.pause('all', Date.now() + wait);
                    }
                    return res;
                }
                catch (e) {
                    const hit = rateLimitOf(e, write);
                    if (!hit)
                        throw e;
                    gate.pause(hit.scope, Date.now() + hit.waitMs);
                    const s = Math.ceil(hit.waitMs / 1000);
                    const what = `${method} ${String(options.url)}`;
                    const again = attempt <= retries ? `retry ${attempt}/${retries}` : 'no retries left';
                    if (hit.kind === 'primary') {
                        (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().annotation('warning', `GitHub primary rate limit exhausted on ${what}: every request waits ${s} s (${again}).`);
                    }
                    else {
                        (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().info(`GitHub secondary rate limit on ${what}: every ${hit.scope === 'all' ? 'request' : 'write'} waits ${s} s (${again}).`);
                    }
                    if (attempt > retries)
                        throw e;
                }
            }
        });
    };
}
/**
 * How a request that got no answer failed ("the connection was closed before GitHub answered"),
 * or undefined when GitHub did answer. Octokit reports such failures as status 500 without a
 * response; saying "HTTP 500" would send people looking for a server error that never happened.
 */
function connectionFailure(e) {
    const err = e;
    if (err?.response !== undefined)
        return undefined;
    if (err?.name === 'AbortError' || err?.name === 'TimeoutError')
        return 'the request was cancelled before GitHub answered';
    if (err?.status !== 500 && !(e instanceof TypeError))
        return undefined;
    const causes = [];
    for (let c = err.cause; c && causes.length < 4; c = c.cause) {
        const x = c;
        causes.push([typeof x.code === 'string' ? x.code : '', typeof x.message === 'string' ? x.message : ''].filter(Boolean).join(' '));
    }
    const detail = [...new Set([err.message ?? '', ...causes].filter((s) => s && s !== 'fetch failed'))].join('; ');
    const reset = /ECONNRESET|UND_ERR_SOCKET|other side closed|socket hang up|closed|reset/i.test(detail);
    return `${reset ? 'connection reset: the connection was closed before GitHub answered' : 'no answer from GitHub'}${detail ? ` (${detail})` : ''}`;
}
/**
 * `OWNER/REPO`: an account name (letters, digits, `-` and `_`, not starting with `-`, at most 39)
 * and a repository name (letters, digits, `. _ -`, at most 100, not `.` or `..`). Anything else
 * would change the path of the API request it is put in.
 */
function parseRepo(s, input = 'repository') {
    const m = /^([A-Za-z0-9][A-Za-z0-9_-]{0,38})\/([A-Za-z0-9_.-]{1,100})$/.exec(s.trim());
    if (!m || m[2] === '.' || m[2] === '..') {
        throw new InputError(input, s, 'OWNER/REPO (e.g. octo-org/hello: letters, digits, `-`, `_`, and `.` in the repository name)', 'Leave it out to use the repository the workflow runs in');
    }
    return { owner: m[1], repo: m[2] };
}
/** The repository of the run, from `GITHUB_REPOSITORY`. */
function currentRepo(env = process.env) {
    const r = env.GITHUB_REPOSITORY;
    return r ? parseRepo(r, 'GITHUB_REPOSITORY') : undefined;
}
/** One id per workflow run attempt (`<run id>-<attempt>`), or a random local one. */
function traceId(env = process.env) {
    if (env.GOSHIP_TRACE_ID)
        return env.GOSHIP_TRACE_ID;
    if (env.GITHUB_RUN_ID)
        return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? '1'}`;
    return `local-${randomBytes(6).toString('hex')}`;
}
/** True when running inside GitHub Actions (not a local runner or test). */
function inGitHubActions(env = process.env) {
    return env.GITHUB_ACTIONS === 'true' && !env.GOSHIP_LOCAL;
}
/** The tag name when `GITHUB_REF` is a tag ref. */
function refTag(env = process.env) {
    const ref = env.GITHUB_REF ?? '';
    return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}


/***/ })

};
