/**
 * The validators of dnssync's JSON Schemas (schemas/), compiled to code by ajv when
 * dnssync is built (scripts/gen-validators.mjs writes them to dist/validators/), so a run
 * neither loads ajv's compiler nor compiles a schema.
 */
import type { ValidateFunction } from 'ajv';

/** The schemas read at run time: zone files, dnssync.yaml and saved plans. */
type SchemaName = 'zone' | 'dnssync' | 'plan';

// dist/validators/ both from dist/ (as built and installed) and from src/ (the tests).
const VALIDATORS = new URL('../dist/validators/', import.meta.url);

/** The validator of schemas/<name>.schema.json. */
export async function loadValidator(name: SchemaName): Promise<ValidateFunction> {
  const url = new URL(`${name}.js`, VALIDATORS);
  try {
    return ((await import(url.href)) as { default: ValidateFunction }).default;
  } catch (error) {
    throw new Error(
      `the ${name} schema's validator (${url.pathname}) cannot be loaded; npm run build writes it: ${(error as Error).message}`,
    );
  }
}
