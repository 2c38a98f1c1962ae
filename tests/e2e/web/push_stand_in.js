// What the browser push test puts in place of pushManager.subscribe / getSubscription: a
// subscription the test made at the local push service stand-in (see test_web_push.py).
(() => {
  const given = __GIVEN__;
  const state = (window.__pushStandIn = { askedKey: null, unsubscribed: false, current: null });
  const text = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const bytes = (t) =>
    Uint8Array.from(atob(t.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (t.length % 4)) % 4)), (c) => c.charCodeAt(0)).buffer;
  const made = (options) => ({
    endpoint: given.endpoint,
    expirationTime: null,
    options,
    getKey: (name) => bytes(name === "p256dh" ? given.p256dh : given.auth),
    toJSON: () => ({ endpoint: given.endpoint, expirationTime: null, keys: { p256dh: given.p256dh, auth: given.auth } }),
    unsubscribe: async () => { state.current = null; state.unsubscribed = true; return true; },
  });
  PushManager.prototype.subscribe = async function (options) {
    const key = options.applicationServerKey;
    state.askedKey = text(ArrayBuffer.isView(key) ? key.buffer.slice(key.byteOffset, key.byteOffset + key.byteLength) : key);
    state.current = made(options);
    return state.current;
  };
  PushManager.prototype.getSubscription = async function () { return state.current; };
})();
