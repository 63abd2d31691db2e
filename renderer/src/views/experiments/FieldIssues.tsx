// The server's validation messages for one form field, shown right under it.
export function FieldIssues({ issues, testid }: { issues: string[] | undefined; testid?: string }) {
  if (!issues?.length) return null;
  return (
    <ul className="field-issues" role="alert" data-testid={testid}>
      {issues.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}
