// How the bundled GSM8K sample was chosen, as code, so it can be rebuilt and checked:
// `GSM8K_SAMPLE_SIZES.train` problems of the official train.jsonl and `.test` of test.jsonl,
// drawn with the project's seeded Rng and kept in file order, each tagged with its official id.

import { readJsonl, requireString } from '../datasets/index.ts';
import { deriveSeed, Rng } from '../util/random.ts';
import { gsm8kId, type Gsm8kPart } from './gsm8k.ts';

export const GSM8K_SAMPLE_SEED = 2407;
export const GSM8K_SAMPLE_SIZES: Readonly<Record<Gsm8kPart, number>> = { train: 200, test: 100 };

/** Zero-based line indices (ascending) of the sampled problems of a file with `total` problems. */
export function gsm8kSampleIndices(part: Gsm8kPart, total: number, count = GSM8K_SAMPLE_SIZES[part]): number[] {
  const rng = new Rng(deriveSeed(GSM8K_SAMPLE_SEED, 'gsm8k-sample', part));
  const indices = Array.from({ length: total }, (_, i) => i);
  return rng.sample(indices, count).sort((a, b) => a - b);
}

/** The sample's JSONL text for one official file: `{"id", "question", "answer"}` per line. */
export async function buildGsm8kSample(officialFile: string, part: Gsm8kPart): Promise<string> {
  const records = await readJsonl(officialFile);
  const lines = gsm8kSampleIndices(part, records.length).map((index) => {
    const record = records[index]!;
    return JSON.stringify({
      id: gsm8kId(part, index),
      question: requireString(officialFile, record, 'question'),
      answer: requireString(officialFile, record, 'answer'),
    });
  });
  return `${lines.join('\n')}\n`;
}
