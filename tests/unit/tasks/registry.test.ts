import { describe, expect, it } from 'vitest';
import { getTask, listTasks, taskNames, UnknownTaskError } from '../../../core/tasks/index.ts';

describe('task registry', () => {
  it("lists the paper's three tasks", () => {
    expect(taskNames()).toEqual(['gsm8k', 'hotpotqa', 'iris']);
    expect(listTasks().map((t) => t.name)).toEqual(['gsm8k', 'hotpotqa', 'iris']);
  });

  it('finds tasks by name, ignoring case and surrounding spaces', () => {
    expect(getTask('iris').name).toBe('iris');
    expect(getTask(' GSM8K ').name).toBe('gsm8k');
  });

  it('names the available tasks when the name is unknown', () => {
    expect(() => getTask('hotpot')).toThrow(UnknownTaskError);
    expect(() => getTask('x')).toThrow('unknown task "x"; available tasks: gsm8k, hotpotqa, iris');
    try {
      getTask('x');
    } catch (error) {
      expect(error).toMatchObject({ name: 'UnknownTaskError', requested: 'x', available: ['gsm8k', 'hotpotqa', 'iris'] });
    }
  });

  it('gives every task a description, a metric and the paper protocol', () => {
    for (const task of listTasks()) {
      expect(task.description.length).toBeGreaterThan(20);
      expect(task.metric.name).toMatch(/^[a-z_0-9]+$/);
      expect(task.protocol.train).toBeGreaterThan(0);
    }
  });
});
