// Where Amplify keeps the Cognito tokens: this tab's sessionStorage, never localStorage.
// A reload or a deep link in the same tab keeps the session; closing the tab ends it, and
// other tabs and windows never see the tokens.
import type { KeyValueStorageInterface } from "@aws-amplify/core";

export const TOKEN_KEY_PREFIX = "CognitoIdentityServiceProvider.";

export function sessionTokenStorage(store: Storage): KeyValueStorageInterface {
  return {
    setItem(key, value) {
      store.setItem(key, value);
      return Promise.resolve();
    },
    getItem(key) {
      return Promise.resolve(store.getItem(key));
    },
    removeItem(key) {
      store.removeItem(key);
      return Promise.resolve();
    },
    clear() {
      const keys = Array.from({ length: store.length }, (_, index) => store.key(index));
      for (const key of keys) {
        if (key?.startsWith(TOKEN_KEY_PREFIX)) store.removeItem(key);
      }
      return Promise.resolve();
    },
  };
}
