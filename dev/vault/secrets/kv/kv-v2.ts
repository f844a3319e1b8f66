// The versioned key/value engine (KV v2) as Vault's kv plugin answers it: data/, metadata/,
// delete/, undelete/, destroy/ and config, with versions, check-and-set, soft deletion (a deleted
// or destroyed version reads as 404 *with* its metadata), max_versions pruning and custom_metadata.
import * as z from "zod";
import type { Backend, RequestContext, Route } from "../../core/backend.ts";
import type { VaultResult } from "../../core/envelope.ts";
import { badRequest } from "../../core/errors.ts";
import { formatDuration } from "../../core/durations.ts";
import { parseFields, vaultBool, vaultDuration, vaultInt, vaultStringMap } from "../../core/fields.ts";
import { listChildren } from "./kv-list.ts";
import { memoryScope, plainCodec, type Codec, type StateScope } from "../../../persist/state-scope.ts";

const defaultMaxVersions = 10;

interface Version {
  data: Record<string, unknown> | null;
  readonly createdTime: number;
  deletionTime: number | null;
  destroyed: boolean;
}

interface KeyMetadata {
  readonly versions: Map<number, Version>;
  currentVersion: number;
  oldestVersion: number;
  createdTime: number | null;
  updatedTime: number | null;
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
  customMetadata: Record<string, string> | null;
}

interface EngineConfig {
  maxVersions: number;
  casRequired: boolean;
  deleteVersionAfter: number;
}

/** Versions are a Map in memory, [number, version] pairs on disk. */
const keyCodec: Codec<KeyMetadata> = {
  encode: (meta) => ({ ...meta, versions: [...meta.versions] }),
  decode: (json) => {
    const stored = json as Omit<KeyMetadata, "versions"> & { versions: [number, Version][] };
    return { ...stored, versions: new Map(stored.versions) };
  },
};

const configFields = z.object({
  max_versions: vaultInt.optional(),
  cas_required: vaultBool.optional(),
  delete_version_after: vaultDuration.optional(),
});

const metadataFields = configFields.extend({ custom_metadata: vaultStringMap.optional() });

const writeFields = z.object({
  data: z.record(z.string(), z.unknown()).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

const versionsFields = z.object({ versions: z.array(vaultInt).optional() });

const readFields = z.object({ version: vaultInt.optional() });

/** Timestamps as text, formatted once each: every read of a version shows the same ones. */
const isoTexts = new Map<number, string>();

function iso(ms: number | null): string {
  if (ms === null) return "";
  let text = isoTexts.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoTexts.size >= 10_000) isoTexts.clear();
    isoTexts.set(ms, text);
  }
  return text;
}

/** RFC 7396 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> =
    typeof target === "object" && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function versionMetadata(meta: KeyMetadata, number: number, version: Version): Record<string, unknown> {
  return {
    created_time: iso(version.createdTime),
    custom_metadata: meta.customMetadata,
    deletion_time: iso(version.deletionTime),
    destroyed: version.destroyed,
    version: number,
  };
}

/** A deleted or destroyed version answers 404 with its metadata, as Vault does. */
function goneVersion(meta: KeyMetadata, number: number, version: Version): VaultResult {
  return { status: 404, data: { data: null, metadata: versionMetadata(meta, number, version) } };
}

function newMetadata(): KeyMetadata {
  return {
    versions: new Map(),
    currentVersion: 0,
    oldestVersion: 0,
    createdTime: null,
    updatedTime: null,
    maxVersions: 0,
    casRequired: false,
    deleteVersionAfter: 0,
    customMetadata: null,
  };
}

function metadataData(meta: KeyMetadata): Record<string, unknown> {
  const versions = Object.fromEntries(
    [...meta.versions].map(([number, version]) => [
      String(number),
      { created_time: iso(version.createdTime), deletion_time: iso(version.deletionTime), destroyed: version.destroyed },
    ]),
  );
  return {
    cas_required: meta.casRequired,
    created_time: iso(meta.createdTime),
    current_version: meta.currentVersion,
    custom_metadata: meta.customMetadata,
    delete_version_after: formatDuration(meta.deleteVersionAfter),
    max_versions: meta.maxVersions,
    oldest_version: meta.oldestVersion,
    updated_time: iso(meta.updatedTime),
    versions,
  };
}

/** A live version's read answer, and what it was made from: when any of these changes, it is made again. */
interface ReadAnswer {
  readonly data: Version["data"];
  readonly customMetadata: KeyMetadata["customMetadata"];
  readonly deletionTime: number | null;
  readonly result: VaultResult;
}

/** One KV v2 mount's keys and settings, and a named handler per operation. */
class KvV2 {
  private readonly keys: Map<string, KeyMetadata>;
  private readonly settings: Map<string, EngineConfig>;
  /**
   * Per version, its last read answer with the JSON text of its data: a secret is read far more
   * often than written, and the text is the same until a write replaces the data (or the custom
   * metadata, or the deletion time) it was made from. A pruned version's entry goes with it.
   */
  private readonly readAnswers = new WeakMap<Version, ReadAnswer>();

  constructor(
    private readonly now: () => number,
    state: StateScope,
  ) {
    this.keys = state.map("keys", keyCodec);
    this.settings = state.map("config", plainCodec<EngineConfig>());
    if (!this.settings.has("config")) this.settings.set("config", { maxVersions: 0, casRequired: false, deleteVersionAfter: 0 });
  }

  /** Read through the map each time, so that a change to it is noticed and saved. */
  private config(): EngineConfig {
    return this.settings.get("config")!;
  }

  private isDeleted(version: Version): boolean {
    return version.deletionTime !== null && version.deletionTime <= this.now();
  }

  exists(params: Readonly<Record<string, string>>): boolean {
    return this.keys.has(params.path!);
  }

  readConfig(): VaultResult {
    const config = this.config();
    return {
      data: {
        max_versions: config.maxVersions,
        cas_required: config.casRequired,
        delete_version_after: formatDuration(config.deleteVersionAfter),
      },
    };
  }

  writeConfig(request: RequestContext): undefined {
    const fields = parseFields(configFields, request.data, request.warn);
    const config = this.config();
    if (fields.max_versions !== undefined) config.maxVersions = fields.max_versions;
    if (fields.cas_required !== undefined) config.casRequired = fields.cas_required;
    if (fields.delete_version_after !== undefined) config.deleteVersionAfter = fields.delete_version_after;
    return undefined;
  }

  readData(request: RequestContext): VaultResult | undefined {
    const meta = this.keys.get(request.params.path!);
    if (!meta) return undefined;
    const { version: wanted } = parseFields(readFields, request.data);
    const number = wanted && wanted > 0 ? wanted : meta.currentVersion;
    const version = meta.versions.get(number);
    if (!version) return undefined;
    if (version.destroyed || this.isDeleted(version)) return goneVersion(meta, number, version);
    return this.liveAnswer(meta, number, version);
  }

  private liveAnswer(meta: KeyMetadata, number: number, version: Version): VaultResult {
    const known = this.readAnswers.get(version);
    if (known && known.data === version.data && known.customMetadata === meta.customMetadata && known.deletionTime === version.deletionTime) {
      return known.result;
    }
    const data = { data: version.data, metadata: versionMetadata(meta, number, version) };
    const result: VaultResult = { data, dataJson: JSON.stringify(data) };
    this.readAnswers.set(version, { data: version.data, customMetadata: meta.customMetadata, deletionTime: version.deletionTime, result });
    return result;
  }

  writeData(request: RequestContext): VaultResult {
    const key = request.params.path!;
    if (key === "") throw badRequest("missing path");
    const body = parseFields(writeFields, request.data, request.warn);
    if (!body.data) throw badRequest("no data provided");
    const meta = this.keys.get(key) ?? newMetadata();
    this.checkAndSet(body.options, meta);
    this.keys.set(key, meta);
    return this.addVersion(meta, body.data);
  }

  patchData(request: RequestContext): VaultResult | undefined {
    const meta = this.keys.get(request.params.path!);
    if (!meta) return undefined;
    const body = parseFields(writeFields, request.data, request.warn);
    this.checkAndSet(body.options, meta);
    const current = meta.versions.get(meta.currentVersion);
    if (!current) return undefined;
    if (current.destroyed || this.isDeleted(current)) return goneVersion(meta, meta.currentVersion, current);
    if (!body.data) throw badRequest("no data provided");
    return this.addVersion(meta, mergePatch(current.data, body.data) as Record<string, unknown>);
  }

  softDeleteLatest(request: RequestContext): undefined {
    const meta = this.keys.get(request.params.path!);
    const latest = meta?.versions.get(meta.currentVersion);
    if (latest && !latest.destroyed && !this.isDeleted(latest)) latest.deletionTime = this.now();
    return undefined;
  }

  /** delete/, undelete/ and destroy/: the same body, a different change per version. */
  changeVersions(request: RequestContext, change: (version: Version) => void): undefined {
    const { versions } = parseFields(versionsFields, request.data, request.warn);
    if (!versions || versions.length === 0) throw badRequest("no version number provided");
    const meta = this.keys.get(request.params.path!);
    for (const number of versions) {
      const version = meta?.versions.get(number);
      if (version && !version.destroyed) change(version);
    }
    return undefined;
  }

  readMetadata(request: RequestContext): VaultResult | undefined {
    const meta = this.keys.get(request.params.path!);
    return meta ? { data: metadataData(meta) } : undefined;
  }

  writeMetadata(request: RequestContext): undefined {
    const key = request.params.path!;
    if (key === "") throw badRequest("missing path");
    const fields = parseFields(metadataFields, request.data, request.warn);
    if (fields.max_versions !== undefined && fields.max_versions < 0) throw badRequest("max_versions must be 0 or greater");
    const meta = this.keys.get(key) ?? newMetadata();
    if (fields.max_versions !== undefined) meta.maxVersions = fields.max_versions;
    if (fields.cas_required !== undefined) meta.casRequired = fields.cas_required;
    if (fields.delete_version_after !== undefined) meta.deleteVersionAfter = fields.delete_version_after;
    if (fields.custom_metadata !== undefined) meta.customMetadata = fields.custom_metadata;
    this.keys.set(key, meta);
    return undefined;
  }

  listMetadata(request: RequestContext): VaultResult {
    return { data: listChildren(this.keys.keys(), request.params.path!) };
  }

  deleteMetadata(request: RequestContext): undefined {
    this.keys.delete(request.params.path!);
    return undefined;
  }

  private checkAndSet(options: Readonly<Record<string, unknown>> | undefined, meta: KeyMetadata): void {
    if (options && "cas" in options) {
      const cas = vaultInt.safeParse(options.cas);
      if (!cas.success) throw badRequest("error parsing check-and-set parameter");
      if (cas.data !== meta.currentVersion) throw badRequest("check-and-set parameter did not match the current version");
    } else if (this.config().casRequired || meta.casRequired) {
      throw badRequest("check-and-set parameter required for this call");
    }
  }

  private addVersion(meta: KeyMetadata, data: Record<string, unknown>): VaultResult {
    const created = this.now();
    const deleteAfter = meta.deleteVersionAfter > 0 ? meta.deleteVersionAfter : this.config().deleteVersionAfter;
    const version: Version = { data, createdTime: created, deletionTime: deleteAfter > 0 ? created + deleteAfter * 1000 : null, destroyed: false };
    meta.currentVersion += 1;
    meta.versions.set(meta.currentVersion, version);
    meta.updatedTime = created;
    meta.createdTime ??= created;
    const limit = Math.max(meta.maxVersions, this.config().maxVersions) || defaultMaxVersions;
    if (meta.currentVersion - meta.oldestVersion >= limit) {
      const lastToDrop = meta.currentVersion - limit;
      for (let number = meta.oldestVersion; number <= lastToDrop; number++) meta.versions.delete(number);
      meta.oldestVersion = lastToDrop + 1;
    }
    return { data: versionMetadata(meta, meta.currentVersion, version) };
  }
}

/** The engine's route table: config, data/, metadata/, delete/, undelete/ and destroy/. */
function kvV2Routes(kv: KvV2, now: () => number): Route[] {
  const exists = (params: Readonly<Record<string, string>>) => kv.exists(params);
  return [
    { pattern: /^config$/, read: () => kv.readConfig(), write: (request) => kv.writeConfig(request) },
    {
      pattern: /^data\/(?<path>.*)$/,
      exists,
      read: (request) => kv.readData(request),
      write: (request) => kv.writeData(request),
      patch: (request) => kv.patchData(request),
      delete: (request) => kv.softDeleteLatest(request),
    },
    {
      pattern: /^metadata\/(?<path>.*)$/,
      exists,
      read: (request) => kv.readMetadata(request),
      write: (request) => kv.writeMetadata(request),
      list: (request) => kv.listMetadata(request),
      delete: (request) => kv.deleteMetadata(request),
    },
    { pattern: /^delete\/(?<path>.+)$/, write: (request) => kv.changeVersions(request, (version) => (version.deletionTime = now())) },
    { pattern: /^undelete\/(?<path>.+)$/, write: (request) => kv.changeVersions(request, (version) => (version.deletionTime = null)) },
    {
      pattern: /^destroy\/(?<path>.+)$/,
      write: (request) =>
        kv.changeVersions(request, (version) => {
          version.destroyed = true;
          version.data = null;
        }),
    },
  ];
}

export function createKvV2(now: () => number, state: StateScope = memoryScope): Backend {
  return { type: "kv", routes: kvV2Routes(new KvV2(now, state), now) };
}
