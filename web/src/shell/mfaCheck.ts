// Loaded only for staff (its own chunk: Cognito's GetUser client stays out of the initial
// bundle): whether the signed-in user has TOTP, or signed in through a federated provider.
import { fetchAuthSession, fetchMFAPreference } from "@aws-amplify/auth";

export async function enrolled(): Promise<boolean> {
  const session = await fetchAuthSession();
  if (session.tokens?.idToken?.payload.identities !== undefined) return true;
  const preference = await fetchMFAPreference();
  return preference.enabled?.includes("TOTP") ?? false;
}
