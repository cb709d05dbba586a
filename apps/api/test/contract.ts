import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";

// ajv-formats is CommonJS: under ESM its function is the module's `default` property.
const addFormats = addFormatsPlugin.default;

type Json = Record<string, any>;
const JSON_MEDIA = new Set(["application/json", "application/problem+json", "application/geo+json"]);
const DOCUMENT_ID = "urn:backchannel:openapi";

/** A JSON pointer segment inside a URI fragment. */
const segment = (text: string) => encodeURIComponent(text.replace(/~/g, "~0").replace(/\//g, "~1"));

/**
 * Checks an answer against the OpenAPI document the API serves, with a JSON Schema 2020-12
 * validator nobody here wrote (ajv): the status and media type must be declared for the
 * operation, required headers present, and a JSON body valid against the declared schema.
 * Returns what is wrong, or nothing.
 */
export function contractChecker(loadDocument: () => Promise<Json>) {
  let ready: Promise<{ document: Json; ajv: Ajv2020; operations: { pattern: RegExp; path: string }[] }> | undefined;
  const validators = new Map<string, ValidateFunction>();

  const prepare = async () => {
    const document = await loadDocument();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    const operations = Object.keys(document.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{\w+\\?\}|\{\w+\}/g, "[^/]+")}$`),
    }));
    return { document, ajv, operations };
  };

  const resolve = (document: Json, node: Json | undefined): Json | undefined => {
    const ref = node?.$ref as string | undefined;
    if (!ref) return node;
    return ref.slice(2).split("/").reduce<Json | undefined>((at, key) => at?.[key.replace(/~1/g, "/").replace(/~0/g, "~")], document);
  };

  return async function check(request: Request, response: Response): Promise<string[]> {
    ready ??= prepare();
    const { document, ajv, operations } = await ready;
    const url = new URL(request.url);
    const operation = operations.find(({ pattern }) => pattern.test(url.pathname));
    if (!operation) return [];
    const method = request.method.toLowerCase() === "head" ? "get" : request.method.toLowerCase();
    const declared = document.paths[operation.path]?.[method];
    const where = `${request.method} ${url.pathname}${url.search} → ${response.status}`;
    if (!declared) return [`${where}: method not in the document`];
    const answer = resolve(document, declared.responses?.[String(response.status)] ?? declared.responses?.default);
    if (!answer) return [`${where}: status ${response.status} is not declared`];
    const problems: string[] = [];
    for (const [name, definition] of Object.entries<Json>(answer.headers ?? {})) {
      if (resolve(document, definition)?.required && !response.headers.has(name)) problems.push(`${where}: required header ${name} is missing`);
    }
    if (response.status === 304 || request.method === "HEAD") return problems;
    const media = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const content = answer.content?.[media];
    if (!content) return [...problems, `${where}: media type "${media}" is not declared (declared: ${Object.keys(answer.content ?? {}).join(", ") || "none"})`];
    if (!JSON_MEDIA.has(media)) return problems;
    const pointer = ["paths", operation.path, method, "responses", response.status in declared.responses ? String(response.status) : "default", "content", media, "schema"];
    const key = pointer.join(" ");
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer.map(segment).join("/")}` });
      validators.set(key, validate);
    }
    const body: unknown = JSON.parse(await decodedText(response));
    if (!validate(body)) {
      problems.push(...(validate.errors ?? []).slice(0, 5).map((error) => `${where}: body${error.instancePath} ${error.message} (${error.schemaPath})`));
    }
    return problems;
  };
}

/** The body as text, whatever content coding the answer was compressed with. */
async function decodedText(response: Response): Promise<string> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const coding = response.headers.get("content-encoding");
  if (coding === "br") return brotliDecompressSync(bytes).toString("utf8");
  if (coding === "gzip") return gunzipSync(bytes).toString("utf8");
  return bytes.toString("utf8");
}
