/*
 * The installation steps of a plugin README, read from its code blocks, so that the outside-client tier does
 * what a reader of the README does and nothing else. The README marks what a block is for:
 *   ```sh                         commands to run, one per line, in the app's root folder
 *   ```ts  // packages/x/file.ts   lines to add to that file (the first line names it)
 *   ```yaml  # app-config.yaml     configuration to merge into that file
 *   ```yaml  # catalog-info.yaml   a catalog entity
 * Only blocks under a heading containing "Installation" (and, for the frontend, not under the legacy
 * system's heading) or "Annotating" are steps; a block without a file marker is an illustration.
 */
import fs from 'fs';

export type ReadmeStep =
  | { type: 'run'; command: string }
  | { type: 'addToFile'; file: string; lines: string[] }
  | { type: 'mergeConfig'; file: string; yaml: string }
  | { type: 'catalogEntity'; yaml: string };

interface CodeBlock {
  language: string;
  lines: string[];
  headings: string[];
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const headings: string[] = [];
  let open: CodeBlock | undefined;
  for (const line of markdown.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      open = { language: fence[1], lines: [], headings: [...headings] };
      continue;
    }
    const heading = /^(#+)\s+(.*)$/.exec(line);
    if (heading) {
      headings.length = heading[1].length - 1;
      headings[heading[1].length - 1] = heading[2];
    }
  }
  if (open) throw new Error('a code block of the README is not closed');
  return blocks;
}

function isStepBlock(block: CodeBlock): boolean {
  const path = block.headings.filter(Boolean).join(' / ');
  if (/legacy/i.test(path)) return false;
  return /installation|annotating/i.test(path);
}

/** The steps of one README, in the order it gives them. */
export function readmeSteps(readmeFile: string): ReadmeStep[] {
  const steps: ReadmeStep[] = [];
  for (const block of codeBlocks(fs.readFileSync(readmeFile, 'utf8'))) {
    if (!isStepBlock(block)) continue;
    const [first, ...rest] = block.lines;
    if (block.language === 'sh') {
      for (const command of block.lines.map(l => l.trim()).filter(Boolean)) {
        steps.push({ type: 'run', command });
      }
      continue;
    }
    const codeFile = /^\/\/\s*(packages\/\S+)$/.exec(first?.trim() ?? '');
    if (/^tsx?$/.test(block.language) && codeFile) {
      steps.push({ type: 'addToFile', file: codeFile[1], lines: rest });
      continue;
    }
    const yamlFile = /^#\s*(\S+\.yaml)$/.exec(first?.trim() ?? '');
    if (block.language === 'yaml' && yamlFile) {
      const yaml = rest.join('\n');
      if (yamlFile[1] === 'catalog-info.yaml') {
        steps.push({ type: 'catalogEntity', yaml });
      } else if (/^app-config(\.[\w-]+)?\.yaml$/.test(yamlFile[1])) {
        steps.push({ type: 'mergeConfig', file: yamlFile[1], yaml });
      }
    }
  }
  return steps;
}
