// Makes one value by a generator spec. Every character is drawn with crypto.randomInt, which
// rejects out-of-range draws instead of taking a remainder: no character is likelier than another.
import { randomInt, randomUUID } from "node:crypto";
import { generatorAlphabet, type Generator } from "../../policy/rotation-generator.ts";

export function generateValue(spec: Generator): string {
  const drawn = generatorAlphabet(spec);
  if (!drawn) return randomUUID();
  const characters = [...drawn.alphabet];
  let value = "";
  for (let i = 0; i < drawn.length; i++) value += characters[randomInt(characters.length)];
  return value;
}
