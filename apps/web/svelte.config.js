import adapter from "@sveltejs/adapter-node";

/** @type {import('@sveltejs/kit').Config} */
export default {
  kit: {
    // WEB_PORT / WEB_HOST / WEB_ORIGIN: the API already owns PORT and HOST.
    adapter: adapter({ envPrefix: "WEB_" }),
    // Every script Kit writes into a page carries a per-request nonce; nothing else may run.
    csp: {
      mode: "nonce",
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
