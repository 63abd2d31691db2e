// The paper's HotPotQA program (BetterTogether, as in DSPy's multi-hop example): two hops of
// chain-of-thought query generation, each followed by retrieval of k passages appended to the
// context without duplicates, then chain-of-thought answer generation. Three LM modules, at the
// paths generate_query[0], generate_query[1] and generate_answer; retrievals at retrieve[0] and
// retrieve[1]. Context passages read "Title | text", as the paper's Wikipedia abstracts did.

import { ChainOfThought } from '../program/chain-of-thought.ts';
import type { CallContext } from '../program/context.ts';
import type { FieldValue, Prediction } from '../program/example.ts';
import { Module } from '../program/module.ts';
import { Retrieve } from '../program/retrieve.ts';
import { signature, type Signature } from '../program/signature.ts';
import type { RetrievedPassage } from '../program/trace.ts';

export const HOPS = 2;
export const PASSAGES_PER_HOP = 3;

const CONTEXT = 'Passages found so far, each as "Title | text" (may be empty).';
const QUESTION = 'A question that needs facts from more than one passage.';

export function queryGenerationSignature(): Signature {
  return signature()
    .input('context', CONTEXT)
    .input('question', QUESTION)
    .output('search_query', 'A short search query that finds a passage still missing to answer the question.')
    .instructions('Write a simple search query that will help answer a complex question.')
    .build();
}

export function answerSignature(): Signature {
  return signature()
    .input('context', 'Passages that may contain the facts needed, each as "Title | text".')
    .input('question', QUESTION)
    .output('answer', 'Often between 1 and 5 words.')
    .instructions('Answer questions with short factoid answers.')
    .build();
}

/** How a passage appears in the context: "Title | text", as the paper's retrieval corpus wrote it. */
export function contextLine(passage: Pick<RetrievedPassage, 'title' | 'text'>): string {
  return passage.title ? `${passage.title} | ${passage.text}` : passage.text;
}

export class MultiHopQA extends Module {
  generate_query = Array.from({ length: HOPS }, () => new ChainOfThought(queryGenerationSignature()));
  retrieve = Array.from({ length: HOPS }, () => new Retrieve(PASSAGES_PER_HOP));
  generate_answer = new ChainOfThought(answerSignature());

  async forward(inputs: Record<string, FieldValue>, ctx: CallContext): Promise<Prediction> {
    const question = inputs.question ?? null;
    const context: string[] = [];
    for (let hop = 0; hop < HOPS; hop++) {
      const { search_query } = await this.generate_query[hop]!.forward({ context: [...context], question }, ctx);
      const passages = await this.retrieve[hop]!.forward(search_query ?? '', ctx);
      for (const passage of passages) {
        const line = contextLine(passage);
        if (!context.includes(line)) context.push(line);
      }
    }
    return this.generate_answer.forward({ context: [...context], question }, ctx);
  }
}
