export { renderMarkdown, markerLine, type MarkdownOptions } from "./markdown.ts";
export { renderText, type TextOptions } from "./text.ts";
export { renderJson, planJsonSchema } from "./json.ts";
