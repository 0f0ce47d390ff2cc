import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { useTheme } from '@material-ui/core/styles';
import { Light as SyntaxHighlighter } from 'react-syntax-highlighter';
import yaml from 'react-syntax-highlighter/dist/cjs/languages/hljs/yaml';
import {
  a11yDark,
  a11yLight,
} from 'react-syntax-highlighter/dist/cjs/styles/hljs';

SyntaxHighlighter.registerLanguage('yaml', yaml);

/**
 * YAML with highlighting in colours that keep WCAG AA contrast (the a11y themes of highlight.js; the docco
 * colours of Backstage's CodeSnippet fall to 3:1 on its background), with a copy button.
 */
export function YamlView({ text }: { text: string }) {
  const theme = useTheme();
  return (
    <Box position="relative">
      <SyntaxHighlighter
        language="yaml"
        style={theme.palette.type === 'dark' ? a11yDark : a11yLight}
        customStyle={{ margin: 0, fontSize: '0.85rem' }}
      >
        {text}
      </SyntaxHighlighter>
      <Box position="absolute" top={0} right={0}>
        <CopyTextButton text={text} />
      </Box>
    </Box>
  );
}
