// Contract between the XAS readers (io/) and everything downstream. Readers turn bytes into
// ColumnData (labels + numeric columns + metadata, with warnings); buildMu turns columns into
// a mu(E) Spectrum from a column name or an expression such as "ln(i0/itrans)".

export type XasFileFormat = 'xdi' | 'ascii' | 'spec' | 'athena';

export interface ColumnData {
  /** File name given by the caller (used in every message). */
  file: string;
  format: XasFileFormat;
  /** Column labels, lower-cased and sanitized the way Larch's read_ascii does. */
  labels: string[];
  /** One Float64Array per label, all the same length (rows of the file). */
  columns: Float64Array[];
  /** Header lines without the comment character. */
  header: string[];
  /**
   * Metadata. XDI: "Namespace.tag" keys as written (lookups should be case-insensitive);
   * SPEC: scan number/command; Athena: group name and args.
   */
  metadata: Record<string, string>;
  /** Problems that did not stop the read (named, with line numbers where known). */
  warnings: string[];
  /** For multi-record files (SPEC scans, Athena groups): which record this is. */
  record?: string;
  /** 1-based line of the file each row came from (text formats), for messages about a row. */
  rowLines?: Int32Array;
  /** 1-based column suggested as energy by a beamline header template (Larch's energy_column). */
  energyColumnHint?: number;
  /** Energy units stated by the file or a beamline template ('eV', 'keV', 'deg'). */
  energyUnitsHint?: string;
}

/** mu(E) and provenance, the input of preEdge/autobk. Energy strictly increasing, in eV. */
export interface Spectrum {
  file: string;
  /** Name of the record (group or scan) when the file has several. */
  name: string;
  energy: Float64Array;
  mu: Float64Array;
  /** The expression or column used to build mu. */
  muExpr: string;
  metadata: Record<string, string>;
  warnings: string[];
  /** Optional reference channel mu (e.g. ln(itrans/irefer)) on the same energy grid. */
  reference?: Float64Array;
  referenceExpr?: string;
  /** Energy shift (eV) from calibration, applied by consumers as energy + eShift; raw data never rewritten. */
  eShift?: number;
}
