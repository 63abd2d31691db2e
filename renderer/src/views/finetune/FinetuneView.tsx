// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function FinetuneView({ runId, jobId }: { runId: number; jobId: number | null }) {
  return <EmptyState title="FinetuneView" />;
}
