// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export function CandidatesView({ runId, stageId }: { runId: number; stageId: number | null }) {
  return <EmptyState title="CandidatesView" />;
}
