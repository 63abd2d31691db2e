// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function RunView({ runId }: { runId: number }) {
  return <EmptyState title="RunView" />;
}
