// Random-search candidates of a prompt stage: how each was built (kind, seed, number of demos),
// its program state and its validation evaluation. Saving a candidate and its evaluation is one
// transaction; marking the best one is another.

import type { CandidateKind } from '../contract/views/index.ts';
import type { ProgramState } from '../contract/views/program.ts';
import type { Db } from './database.ts';
import { StoreError } from './errors.ts';
import type { EvaluationRepository, EvaluationSummary, EvaluationInput } from './evaluations.ts';
import { fromJson, toJson } from './json.ts';

export type { CandidateKind };

export interface NewCandidate {
  stageId: number;
  /** Position of the candidate in the stage's search (unique per stage). */
  idx: number;
  kind: CandidateKind;
  seed: number;
  numDemos: number;
  programState: ProgramState;
  /**
   * Its validation evaluation, the same input as evaluations.save. Run, stage and candidate are
   * the candidate's; a runId or stageId given here must agree with them.
   */
  evaluation: CandidateEvaluationInput;
}

export type CandidateEvaluationInput = Omit<EvaluationInput, 'runId' | 'stageId' | 'candidateId'> & {
  runId?: number;
  stageId?: number | null;
};

export interface CandidateSummary extends EvaluationSummary {
  candidateId: number;
}

export interface CandidateRecord {
  id: number;
  stageId: number;
  idx: number;
  kind: CandidateKind;
  seed: number;
  numDemos: number;
  programState: ProgramState;
  score: number | null;
  isBest: boolean;
  evaluationId: number | null;
}

interface CandidateRow {
  id: number;
  stage_id: number;
  idx: number;
  kind: CandidateKind;
  seed: number;
  num_demos: number;
  program_state: string;
  score: number | null;
  is_best: number;
  evaluation_id: number | null;
}

const COLUMNS = 'id, stage_id, idx, kind, seed, num_demos, program_state, score, is_best, evaluation_id';

export class CandidateRepository {
  private readonly stageRunStmt;
  private readonly insertStmt;
  private readonly linkStmt;
  private readonly getStmt;
  private readonly listStmt;
  private readonly ownerStmt;
  private readonly markBestStmt;
  private readonly saveTx;
  private readonly markBestTx;

  constructor(
    db: Db,
    private readonly evaluations: EvaluationRepository,
  ) {
    this.stageRunStmt = db.prepare<[number], { run_id: number }>('SELECT run_id FROM stages WHERE id = ?');
    this.insertStmt = db.prepare<[number, number, string, number, number, string]>(
      'INSERT INTO candidates (stage_id, idx, kind, seed, num_demos, program_state) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.linkStmt = db.prepare<[number, number, number]>('UPDATE candidates SET evaluation_id = ?, score = ? WHERE id = ?');
    this.getStmt = db.prepare<[number], CandidateRow>(`SELECT ${COLUMNS} FROM candidates WHERE id = ?`);
    this.listStmt = db.prepare<[number], CandidateRow>(`SELECT ${COLUMNS} FROM candidates WHERE stage_id = ? ORDER BY idx`);
    this.ownerStmt = db.prepare<[number], { stage_id: number }>('SELECT stage_id FROM candidates WHERE id = ?');
    this.markBestStmt = db.prepare<[number, number]>('UPDATE candidates SET is_best = (id = ?) WHERE stage_id = ?');

    this.saveTx = db.transaction((input: NewCandidate): CandidateSummary => {
      const stage = this.stageRunStmt.get(input.stageId);
      if (!stage) throw new StoreError('not-found', `stage ${input.stageId} does not exist`);
      const { runId, stageId } = input.evaluation;
      if ((runId !== undefined && runId !== stage.run_id) || (stageId !== undefined && stageId !== null && stageId !== input.stageId)) {
        throw new StoreError(
          'invalid-value',
          `candidate ${input.idx} of stage ${input.stageId} (run ${stage.run_id}) was given an evaluation for run ${String(runId)}, stage ${String(stageId)}`,
        );
      }
      const candidateId = Number(
        this.insertStmt.run(input.stageId, input.idx, input.kind, input.seed, input.numDemos, toJson(input.programState, `program state of candidate ${input.idx}`))
          .lastInsertRowid,
      );
      const summary = this.evaluations.insert({ split: input.evaluation.split, results: input.evaluation.results, runId: stage.run_id, stageId: input.stageId, candidateId });
      this.linkStmt.run(summary.evaluationId, summary.score, candidateId);
      return { candidateId, ...summary };
    });
    this.markBestTx = db.transaction((stageId: number, candidateId: number) => {
      const owner = this.ownerStmt.get(candidateId);
      if (!owner) throw new StoreError('not-found', `candidate ${candidateId} does not exist`);
      if (owner.stage_id !== stageId) throw new StoreError('invalid-value', `candidate ${candidateId} belongs to stage ${owner.stage_id}, not stage ${stageId}`);
      this.markBestStmt.run(candidateId, stageId);
    });
  }

  /** Saves the candidate with its validation evaluation (traces, LM calls, results) in one transaction. */
  save(input: NewCandidate): CandidateSummary {
    return this.saveTx(input);
  }

  get(id: number): CandidateRecord | undefined {
    const row = this.getStmt.get(id);
    return row && toRecord(row);
  }

  /** By idx. */
  listForStage(stageId: number): CandidateRecord[] {
    return this.listStmt.all(stageId).map(toRecord);
  }

  /** Makes this candidate the stage's only best one. */
  markBest(stageId: number, candidateId: number): void {
    this.markBestTx(stageId, candidateId);
  }
}

function toRecord(row: CandidateRow): CandidateRecord {
  return {
    id: row.id,
    stageId: row.stage_id,
    idx: row.idx,
    kind: row.kind,
    seed: row.seed,
    numDemos: row.num_demos,
    programState: fromJson<ProgramState>(row.program_state, `program state of candidate ${row.id}`),
    score: row.score,
    isBest: row.is_best === 1,
    evaluationId: row.evaluation_id,
  };
}
