// A problem with a task definition file: where (file, line, column, the field's path) and what.
// The message is one line starting with the place, like the dataset readers' errors.

export interface DefinitionIssue {
  /** The field's path in the definition (`stages[1].inputs[0]`), '' for the whole definition. */
  path: string;
  message: string;
  /** 1-based line (and column) of the field in the file, when known. */
  line?: number;
  column?: number;
}

export class TaskDefinitionError extends Error {
  override name = 'TaskDefinitionError';
  readonly file: string;
  readonly issues: readonly DefinitionIssue[];

  constructor(file: string, issues: readonly DefinitionIssue[]) {
    super(`${file}: ${issues.map(describeIssue).join('; ')}`);
    this.file = file;
    this.issues = issues;
  }

  /** Line of the first issue, when known. */
  get line(): number | undefined {
    return this.issues[0]?.line;
  }
}

/** `line 4, column 3 (stages[0].kind): must be one of …` */
export function describeIssue(issue: DefinitionIssue): string {
  const place: string[] = [];
  if (issue.line !== undefined) place.push(issue.column !== undefined ? `line ${issue.line}, column ${issue.column}` : `line ${issue.line}`);
  if (issue.path !== '') place.push(`(${issue.path})`);
  return place.length > 0 ? `${place.join(' ')}: ${issue.message}` : issue.message;
}
