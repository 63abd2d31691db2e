// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function TracesView({ runId, params }: { runId: number; params: URLSearchParams }) {
  return <EmptyState title="TracesView" />;
}
