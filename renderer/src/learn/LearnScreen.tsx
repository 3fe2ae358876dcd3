import { Overview } from './Overview.tsx';
import { PlaybookReader } from './PlaybookReader.tsx';
import { TrainingView } from './TrainingView.tsx';
import './learn.css';

/** Where in the Learn area the partner is; App keeps it, so coming back from a template opened in a playbook lands there again. */
export type LearnView = { kind: 'overview' } | { kind: 'playbook'; id: string } | { kind: 'training'; id: string };

/** The partner's Learn area (issue #7): playbooks, training modules and certifications. */
export function LearnScreen({ view, onView, onBack, onOpenTemplate }: { view: LearnView; onView: (v: LearnView) => void; onBack: () => void; onOpenTemplate: (templateId: string) => void }) {
  const overview = () => onView({ kind: 'overview' });
  switch (view.kind) {
    case 'overview':
      return <Overview onBack={onBack} onOpenPlaybook={(id) => onView({ kind: 'playbook', id })} onOpenTraining={(id) => onView({ kind: 'training', id })} />;
    case 'playbook':
      return <PlaybookReader key={view.id} id={view.id} onBack={overview} onOpenTemplate={onOpenTemplate} />;
    case 'training':
      return <TrainingView key={view.id} id={view.id} onBack={overview} />;
  }
}
