export const id = 503;
export const ids = [503];
export const modules = {

/***/ 3503:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   octokit: () => (/* binding */ octokit)
/* harmony export */ });
/* unused harmony exports parseRepo, currentRepo, traceId, inGitHubActions, refTag */
/* harmony import */ var _action_port_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1526);
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2087);
/* harmony import */ var _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(545);
/* harmony import */ var _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6404);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9179);
/**
 * GitHub's REST API through Octokit with the retry and throttling plugins, the base URL from
 * `GITHUB_API_URL` (GitHub Enterprise Server works unchanged), and the run's context.
 */






function octokit(token, opts = {}) {
    if (!token) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .GoshipError */ .$N('No GitHub token.', 'Pass `token: ${{ github.token }}` (the default) or a token with the permissions the action documents');
    }
    (0,_action_port_js__WEBPACK_IMPORTED_MODULE_0__/* .currentPort */ .J6)().mask(token);
    const retries = opts.rateLimitRetries ?? 4;
    const gh = (0,_actions_github__WEBPACK_IMPORTED_MODULE_1__/* .getOctokit */ .Q)(token, {
        baseUrl: opts.baseUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com',
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
        retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    }, _octokit_plugin_retry__WEBPACK_IMPORTED_MODULE_4__/* .retry */ .L, _octokit_plugin_throttling__WEBPACK_IMPORTED_MODULE_5__/* .throttling */ .A);
    // Octokit merges request defaults shallowly, so every request shares one `request` options
    // object, and the retry plugin keeps its count there: concurrent requests would add to each
    // other's count (longer waits, fewer retries). Registered last, this hook runs first and gives
    // each request its own copy.
    gh.hook.before('request', (options) => {
        options.request = { ...options.request };
    });
    return gh;
}
function parseRepo(s, input = 'repository') {
    const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(s.trim());
    if (!m)
        throw new GoshipError(`Input "${input}": got ${JSON.stringify(s)}; expected OWNER/REPO.`, 'Leave it out to use the repository the workflow runs in');
    return { owner: m[1], repo: m[2] };
}
/** The repository of the run, from `GITHUB_REPOSITORY`. */
function currentRepo() {
    const r = process.env.GITHUB_REPOSITORY;
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
