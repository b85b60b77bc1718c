import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Import paths of a layer, however a file spells them ($lib alias or relative). */
const layer = (name) => [
	`$lib/${name}`,
	`$lib/${name}/**`,
	`**/${name}/**`,
	`../${name}`,
	`../../${name}`
];
const TESTS = ['**/*.test.ts', '**/testing*.ts', '**/*-testing.ts'];

/** The layers of docs/ARCHITECTURE.md, enforced: imports only point down. */
const boundaries = [
	{
		files: ['src/lib/core/**/*.ts'],
		ignores: TESTS,
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [
								'dexie',
								'svelte',
								'svelte/*',
								'$app/*',
								...layer('storage'),
								...layer('state'),
								...layer('components'),
								...layer('workers')
							],
							message: 'core is pure: it imports nothing outward (docs/ARCHITECTURE.md).'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/lib/storage/**/*.ts'],
		ignores: TESTS,
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							group: [...layer('state'), ...layer('components'), ...layer('workers')],
							message: 'storage imports only core and dexie.'
						}
					]
				}
			]
		}
	},
	{
		files: ['src/lib/state/**/*.ts', 'src/lib/workers/**/*.ts'],
		ignores: TESTS,
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['dexie'], message: 'Only storage imports Dexie.' },
						{ group: layer('components'), message: 'State and workers do not import components.' }
					]
				}
			]
		}
	},
	{
		files: ['src/lib/components/**/*.{ts,svelte}', 'src/routes/**/*.{ts,svelte}'],
		ignores: TESTS,
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['dexie'], message: 'Only storage imports Dexie.' },
						{
							group: [...layer('storage'), ...layer('workers')],
							allowTypeImports: true,
							message:
								'Components and routes take only types from storage and workers: call state instead.'
						}
					]
				}
			]
		}
	}
];

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'bench/.build/',
			'bench/.lighthouse/',
			'node_modules/',
			'bench/results/',
			'test-results/',
			'coverage/',
			'dev-dist/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: {
			globals: { ...globals.browser, ...globals.node },
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				tsconfigRootDir: import.meta.dirname
			}
		},
		rules: {
			// Every Dexie call returns a promise: a forgotten await loses a write silently.
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/await-thenable': 'error',
			'@typescript-eslint/require-await': 'error',
			'svelte/button-has-type': 'error'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	},
	{
		files: ['**/*.js', '**/*.mjs'],
		...ts.configs.disableTypeChecked
	},
	...boundaries
);
