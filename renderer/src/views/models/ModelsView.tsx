// Placeholder until this view is built.
import { EmptyState } from '../../components/states.tsx';

export function ModelsView() {
  return <EmptyState title="ModelsView" />;
}
