import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const services = {
  identity: "https://a.execute-api.eu-west-1.amazonaws.com",
  provisioning: "https://b.execute-api.eu-west-1.amazonaws.com/",
  portfolio: "https://c.execute-api.eu-west-1.amazonaws.com",
  documents: "https://d.execute-api.eu-west-1.amazonaws.com",
  notifications: "https://e.execute-api.eu-west-1.amazonaws.com",
};
const cloud = {
  stage: "preprod",
  region: "eu-west-1",
  cognito: { user_pool_id: "eu-west-1_abc", client_id: "client" },
  services,
};

describe("parseConfig", () => {
  it("reads a deployed stage's config without a Cognito endpoint", () => {
    const config = parseConfig(cloud);
    expect(config.cognito).toEqual({ userPoolId: "eu-west-1_abc", clientId: "client" });
    expect(config.services.provisioning).toBe("https://b.execute-api.eu-west-1.amazonaws.com");
  });

  it("accepts plain http only on loopback (the local runtime)", () => {
    const local = {
      ...cloud,
      cognito: { ...cloud.cognito, endpoint: "http://127.0.0.1:8700" },
      services: { ...services, identity: "http://127.0.0.1:8710" },
    };
    expect(parseConfig(local).cognito.endpoint).toBe("http://127.0.0.1:8700");
    expect(() =>
      parseConfig({ ...cloud, services: { ...services, identity: "http://api.example.com" } }),
    ).toThrow(/services.identity must use https/);
  });

  it("names the missing field", () => {
    const partial: Partial<typeof services> = { ...services };
    delete partial.portfolio;
    expect(() => parseConfig({ ...cloud, services: partial })).toThrow(ConfigError);
    expect(() => parseConfig({ ...cloud, services: partial })).toThrow(/services.portfolio/);
    expect(() => parseConfig({ ...cloud, cognito: {} })).toThrow(/cognito.user_pool_id/);
    expect(() => parseConfig([])).toThrow(/config must be an object/);
  });
});
