// A signature declares what a predictor reads and writes: named input and output fields with
// descriptions, plus task instructions. Signatures are immutable (their field lists are frozen); `with*`
// methods return copies.

export interface Field {
  readonly name: string;
  readonly description: string;
}

export interface SignatureSpec {
  inputs: Field[];
  outputs: Field[];
  instructions: string;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class SignatureError extends Error {
  override name = 'SignatureError';
}

export class Signature {
  readonly inputs: readonly Field[];
  readonly outputs: readonly Field[];
  readonly instructions: string;

  constructor(spec: SignatureSpec) {
    if (spec.inputs.length === 0) throw new SignatureError('a signature needs at least one input field');
    if (spec.outputs.length === 0) throw new SignatureError('a signature needs at least one output field');
    const seen = new Set<string>();
    for (const field of [...spec.inputs, ...spec.outputs]) {
      if (!FIELD_NAME.test(field.name)) {
        throw new SignatureError(`field name "${field.name}" must be an identifier (letters, digits, _)`);
      }
      if (seen.has(field.name)) throw new SignatureError(`field "${field.name}" is declared twice`);
      seen.add(field.name);
    }
    // Frozen: adapters cache what they render from a signature (e.g. its system message) per instance.
    this.inputs = Object.freeze(spec.inputs.map((f) => Object.freeze({ ...f })));
    this.outputs = Object.freeze(spec.outputs.map((f) => Object.freeze({ ...f })));
    this.instructions = spec.instructions.trim() || defaultInstructions(spec.inputs, spec.outputs);
  }

  /** `"question, context -> reasoning, answer"` with optional instructions. */
  static parse(shorthand: string, instructions = ''): Signature {
    const parts = shorthand.split('->');
    if (parts.length !== 2) {
      throw new SignatureError(`signature "${shorthand}" must have exactly one "->" between inputs and outputs`);
    }
    const names = (side: string) =>
      side
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    const toField = (name: string): Field => ({ name, description: '' });
    return new Signature({
      inputs: names(parts[0]!).map(toField),
      outputs: names(parts[1]!).map(toField),
      instructions,
    });
  }

  get inputNames(): string[] {
    return this.inputs.map((f) => f.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((f) => f.name);
  }

  withInstructions(instructions: string): Signature {
    return new Signature({ inputs: [...this.inputs], outputs: [...this.outputs], instructions });
  }

  /** Adds an output field before all others (chain of thought puts `reasoning` first). */
  prependOutput(field: Field): Signature {
    return new Signature({ inputs: [...this.inputs], outputs: [field, ...this.outputs], instructions: this.instructions });
  }

  toSpec(): SignatureSpec {
    return { inputs: [...this.inputs], outputs: [...this.outputs], instructions: this.instructions };
  }

  toString(): string {
    return `${this.inputNames.join(', ')} -> ${this.outputNames.join(', ')}`;
  }
}

function defaultInstructions(inputs: Field[], outputs: Field[]): string {
  const list = (fields: Field[]) => fields.map((f) => `\`${f.name}\``).join(', ');
  return `Given the fields ${list(inputs)}, produce the fields ${list(outputs)}.`;
}

/** Typed builder: `signature().input('question', 'a trivia question').output('answer', '1-5 words').instructions('...').build()`. */
export function signature(): SignatureBuilder {
  return new SignatureBuilder();
}

export class SignatureBuilder {
  private readonly inputs: Field[] = [];
  private readonly outputs: Field[] = [];
  private text = '';

  input(name: string, description = ''): this {
    this.inputs.push({ name, description });
    return this;
  }

  output(name: string, description = ''): this {
    this.outputs.push({ name, description });
    return this;
  }

  instructions(text: string): this {
    this.text = text;
    return this;
  }

  build(): Signature {
    return new Signature({ inputs: this.inputs, outputs: this.outputs, instructions: this.text });
  }
}
