/** What every importer (live zone, BIND file, octoDNS file) produces for the zone-file writer. */
import type { DnsRecord, Result } from '../model.js';

/** An imported record, with where its source holds it (`line 12`, `sub.db line 3`) when known. */
export interface ImportedRecord extends DnsRecord {
  from?: string;
}

export interface ImportedZone {
  /** Canonical domain. */
  domain: string;
  records: ImportedRecord[];
  /**
   * One line each: what was not imported and why (shown in the written file's header):
   * records dnssync does not manage, or that the source itself marks as not for import.
   */
  leftOut: string[];
  /**
   * One line each: records of the managed types that a zone file cannot hold (a
   * value dnssync cannot read, a CNAME beside other data, a TTL of 0). Shown in the
   * header with `leftOut`, and warned about: the import of this zone is incomplete.
   */
  unwritable: string[];
  /**
   * One line each: what was changed to fit (duplicates, mixed TTLs, character-strings
   * joined), with the source line when known.
   */
  adjusted: string[];
  /** Where the records came from, for the header ("the BIND zone file db.example.com"). */
  source: string;
}

/** A problem in an input file that stops the import; `line` is 1-based, 0 when unknown. */
export interface ImportError {
  file: string;
  line: number;
  message: string;
}

export type ImportResult = Result<ImportedZone, ImportError[]>;

export function formatImportError(error: ImportError): string {
  return error.line > 0
    ? `${error.file}:${error.line}: error: ${error.message}`
    : `${error.file}: error: ${error.message}`;
}
