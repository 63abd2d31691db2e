// The one-line error a download or export button shows beside itself.
export function ActionError({ error }: { error: string | null }) {
  return error ? (
    <span className="subtle" role="alert">
      {error}
    </span>
  ) : null;
}
