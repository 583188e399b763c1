/** Asks questions in a terminal, one line per answer; Enter takes the default. */
import { createInterface } from "node:readline";
import type { Question } from "./answers.js";

export interface Asker {
  ask(question: Question): Promise<string>;
  close(): void;
}

export function terminalAsker(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Asker {
  const rl = createInterface({ input, output, terminal: true });
  // Lines typed ahead of a question are queued, not lost.
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question) {
      for (;;) {
        const choices = question.choices ? ` (${question.choices.join("/")})` : "";
        const fallback = question.default !== undefined && question.default !== "" ? ` [${question.default}]` : "";
        rl.setPrompt(`? ${question.text}${choices}${fallback}: `);
        rl.prompt();
        const next = await lines.next();
        if (next.done) throw new InputClosedError();
        const answer = next.value.trim() || question.default || "";
        const problem = answerProblem(question, answer);
        if (!problem) return answer;
        output.write(`  ✖ ${problem}\n`);
      }
    },
    close: () => rl.close(),
  };
}

export class InputClosedError extends Error {
  constructor() {
    super("the input ended before every question was answered");
  }
}

export function answerProblem(question: Question, answer: string): string | undefined {
  if (answer === "") return "an answer is needed";
  if (question.choices && !question.choices.includes(answer)) return `choose one of ${question.choices.join(", ")}`;
  return question.check?.(answer);
}
