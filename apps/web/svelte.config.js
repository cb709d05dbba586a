import adapter from "@sveltejs/adapter-node";

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // WEB_PORT / WEB_HOST / WEB_ORIGIN: the API already owns PORT and HOST.
    // precompress: the built scripts and styles are served as .br/.gz files written once at build.
    adapter: adapter({ envPrefix: "WEB_", precompress: true }),
    // Every script Kit writes into a page is allowed by its hash; nothing else may run. Hashes
    // (not a per-request nonce) keep a page the same bytes for every reader, so it is rendered once.
    csp: {
      mode: "hash",
      directives: {
        "default-src": ["self"],
        "script-src": ["self"],
        // Kit's route announcer carries one fixed style attribute (visually hidden); that exact
        // attribute is allowed by its hash, and no other inline style.
        "style-src": ["self", "unsafe-hashes", "sha256-S8qMpvofolR8Mpjy4kQvEm7m1q8clzU4dfDH0AmvZjo="],
        "img-src": ["self", "data:"],
        "font-src": ["self"],
        "connect-src": ["self"],
        "object-src": ["none"],
        "base-uri": ["self"],
        "form-action": ["self"],
        "frame-ancestors": ["none"],
      },
    },
  },
};
