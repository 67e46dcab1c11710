// British and Irish fiction from the 1880s to 1928.
import { works } from './types.ts';

export const britishModern = [
  ...works('Jerome K. Jerome', [
    ['Idle Thoughts of an Idle Fellow', 1886, ['satire']],
    ['Three Men in a Boat', 1889, ['satire', 'travel'], 'Three Men'],
    ['Three Men on the Bummel', 1900, ['satire', 'travel'], 'Three Men'],
  ]),
  ...works('George and Weedon Grossmith', [['The Diary of a Nobody', 1892, ['satire']]]),
  ...works('P. G. Wodehouse', [
    ['Something Fresh', 1915, ['satire'], 'Blandings'],
    ['Leave It to Psmith', 1923, ['satire'], 'Blandings'],
    ['Piccadilly Jim', 1917, ['satire', 'romance']],
    ['My Man Jeeves', 1919, ['satire'], 'Jeeves'],
    ['The Inimitable Jeeves', 1923, ['satire'], 'Jeeves'],
    ['Carry On, Jeeves', 1925, ['satire'], 'Jeeves'],
  ]),
  ...works('Saki', [
    ['Reginald', 1904, ['satire']],
    ['The Chronicles of Clovis', 1911, ['satire']],
    ['The Unbearable Bassington', 1912, ['satire']],
    ['Beasts and Super-Beasts', 1914, ['satire']],
  ]),
  ...works('Stephen Leacock', [
    ['Literary Lapses', 1910, ['satire']],
    ['Nonsense Novels', 1911, ['satire']],
    ['Sunshine Sketches of a Little Town', 1912, ['satire']],
  ]),
  ...works('E. M. Forster', [
    ['Where Angels Fear to Tread', 1905, ['realism']],
    ['The Longest Journey', 1907, ['realism']],
    ['A Room with a View', 1908, ['romance', 'realism']],
    ['Howards End', 1910, ['realism']],
    ['A Passage to India', 1924, ['realism']],
  ]),
  ...works('Virginia Woolf', [
    ['The Voyage Out', 1915, ['realism']],
    ['Night and Day', 1919, ['realism', 'romance']],
    ["Jacob's Room", 1922, ['realism', 'war']],
    ['Mrs Dalloway', 1925, ['realism']],
    ['To the Lighthouse', 1927, ['realism']],
    ['Orlando: A Biography', 1928, ['fantasy', 'satire']],
  ]),
  ...works('James Joyce', [
    ['Chamber Music', 1907, ['poetry']],
    ['Dubliners', 1914, ['realism']],
    ['A Portrait of the Artist as a Young Man', 1916, ['realism']],
    ['Ulysses', 1922, ['realism']],
  ]),
  ...works('Arnold Bennett', [
    ['Anna of the Five Towns', 1902, ['realism']],
    ["The Old Wives' Tale", 1908, ['realism']],
    ['Clayhanger', 1910, ['realism']],
    ['Riceyman Steps', 1923, ['realism']],
  ]),
  ...works('John Galsworthy', [
    ['The Man of Property', 1906, ['realism'], 'The Forsyte Saga'],
    ['In Chancery', 1920, ['realism'], 'The Forsyte Saga'],
    ['To Let', 1921, ['realism'], 'The Forsyte Saga'],
  ]),
  ...works('W. Somerset Maugham', [
    ['Liza of Lambeth', 1897, ['realism']],
    ['Of Human Bondage', 1915, ['realism']],
    ['The Moon and Sixpence', 1919, ['realism']],
    ['The Painted Veil', 1925, ['romance', 'realism']],
  ]),
  ...works('Katherine Mansfield', [
    ['Bliss and Other Stories', 1920, ['realism']],
    ['The Garden Party and Other Stories', 1922, ['realism']],
  ]),
  ...works('Aldous Huxley', [
    ['Crome Yellow', 1921, ['satire']],
    ['Antic Hay', 1923, ['satire']],
    ['Point Counter Point', 1928, ['satire', 'realism']],
  ]),
  ...works('Evelyn Waugh', [['Decline and Fall', 1928, ['satire']]]),
];
