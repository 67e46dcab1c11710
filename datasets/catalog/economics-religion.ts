// Political economy and social thought, and devotional and religious writing.
import { works } from './types.ts';

export const economicsReligion = [
  ...works('Adam Smith', [
    ['The Theory of Moral Sentiments', 1759, ['philosophy', 'economics']],
    ['The Wealth of Nations', 1776, ['economics']],
  ]),
  ...works('Thomas Robert Malthus', [['An Essay on the Principle of Population', 1798, ['economics', 'science']]]),
  ...works('Jean-Baptiste Say', [['A Treatise on Political Economy', 1803, ['economics']]]),
  ...works('David Ricardo', [['On the Principles of Political Economy and Taxation', 1817, ['economics']]]),
  ...works('Pierre-Joseph Proudhon', [['What Is Property?', 1840, ['economics', 'philosophy']]]),
  ...works('Frédéric Bastiat', [
    ['Economic Sophisms', 1845, ['economics', 'satire']],
    ['The Law', 1850, ['economics', 'philosophy']],
  ]),
  ...works('Friedrich Engels', [
    ['The Condition of the Working Class in England', 1845, ['economics', 'history']],
    ['Socialism: Utopian and Scientific', 1880, ['economics']],
    ['The Origin of the Family, Private Property and the State', 1884, ['economics', 'history']],
  ]),
  ...works('Karl Marx and Friedrich Engels', [['The Communist Manifesto', 1848, ['economics']]]),
  ...works('Karl Marx', [
    ['The Eighteenth Brumaire of Louis Bonaparte', 1852, ['economics', 'history']],
    ['A Contribution to the Critique of Political Economy', 1859, ['economics']],
    ['Capital, Volume I', 1867, ['economics'], 'Capital'],
    ['Capital, Volume II', 1885, ['economics'], 'Capital'],
    ['Capital, Volume III', 1894, ['economics'], 'Capital'],
  ]),
  ...works('Walter Bagehot', [
    ['The English Constitution', 1867, ['economics', 'history']],
    ['Lombard Street', 1873, ['economics']],
  ]),
  ...works('William Stanley Jevons', [
    ['The Coal Question', 1865, ['economics', 'science']],
    ['The Theory of Political Economy', 1871, ['economics']],
  ]),
  ...works('Carl Menger', [['Principles of Economics', 1871, ['economics']]]),
  ...works('Léon Walras', [['Elements of Pure Economics', 1874, ['economics']]]),
  ...works('Henry George', [['Progress and Poverty', 1879, ['economics']]]),
  ...works('Alfred Marshall', [['Principles of Economics', 1890, ['economics']]]),
  ...works('Jacob Riis', [
    ['How the Other Half Lives', 1890, ['economics', 'history']],
    ['The Making of an American', 1901, ['memoir']],
  ]),
  ...works('Peter Kropotkin', [
    ['The Conquest of Bread', 1892, ['economics']],
    ['Fields, Factories and Workshops', 1899, ['economics']],
    ['Memoirs of a Revolutionist', 1899, ['memoir']],
    ['Mutual Aid: A Factor of Evolution', 1902, ['science', 'economics']],
  ]),
  ...works('Thorstein Veblen', [
    ['The Theory of the Leisure Class', 1899, ['economics', 'satire']],
    ['The Theory of Business Enterprise', 1904, ['economics']],
  ]),
  ...works('J. A. Hobson', [['Imperialism: A Study', 1902, ['economics', 'history']]]),
  ...works('Ida Tarbell', [['The History of the Standard Oil Company', 1904, ['economics', 'history']]]),
  ...works('Max Weber', [
    ['The Protestant Ethic and the Spirit of Capitalism', 1905, ['economics', 'religion']],
    ['Politics as a Vocation', 1919, ['economics']],
  ]),
  ...works('Irving Fisher', [['The Purchasing Power of Money', 1911, ['economics']]]),
  ...works('Vladimir Lenin', [
    ['Imperialism, the Highest Stage of Capitalism', 1917, ['economics']],
    ['The State and Revolution', 1917, ['economics']],
  ]),
  ...works('John Maynard Keynes', [
    ['The Economic Consequences of the Peace', 1919, ['economics', 'war']],
    ['A Treatise on Probability', 1921, ['science', 'philosophy']],
    ['A Tract on Monetary Reform', 1923, ['economics']],
  ]),
  ...works('R. H. Tawney', [
    ['The Acquisitive Society', 1920, ['economics']],
    ['Religion and the Rise of Capitalism', 1926, ['economics', 'religion', 'history']],
  ]),
  ...works('Walter Lippmann', [['Public Opinion', 1922, ['economics', 'philosophy']]]),
  ...works('Ignatius of Loyola', [['The Spiritual Exercises', 1548, ['religion']]]),
  ...works('Teresa of Ávila', [
    ['The Life of Teresa of Jesus', 1588, ['religion', 'memoir']],
    ['The Interior Castle', 1588, ['religion']],
  ]),
  ...works('John of the Cross', [['Dark Night of the Soul', 1618, ['religion', 'poetry']]]),
  ...works('Francis de Sales', [['Introduction to the Devout Life', 1609, ['religion']]]),
  ...works('Julian of Norwich', [['Revelations of Divine Love', 1670, ['religion']]]),
  ...works('Brother Lawrence', [['The Practice of the Presence of God', 1692, ['religion']]]),
  ...works('George Fox', [['The Journal of George Fox', 1694, ['religion', 'memoir']]]),
  ...works('William Law', [['A Serious Call to a Devout and Holy Life', 1729, ['religion']]]),
  ...works('Jonathan Edwards', [['Sinners in the Hands of an Angry God', 1741, ['religion']]]),
  ...works('Emanuel Swedenborg', [['Heaven and Hell', 1758, ['religion']]]),
  ...works('John Woolman', [['The Journal of John Woolman', 1774, ['religion', 'memoir']]]),
  ...works('Friedrich Schleiermacher', [['On Religion: Speeches to Its Cultured Despisers', 1799, ['religion', 'philosophy']]]),
  ...works('David Friedrich Strauss', [['The Life of Jesus, Critically Examined', 1835, ['religion', 'history']]]),
  ...works('Ludwig Feuerbach', [['The Essence of Christianity', 1841, ['religion', 'philosophy']]]),
  ...works('Ernest Renan', [['The Life of Jesus', 1863, ['religion', 'history']]]),
  ...works('John Henry Newman', [
    ['The Idea of a University', 1852, ['philosophy', 'religion']],
    ['Apologia Pro Vita Sua', 1864, ['religion', 'memoir']],
  ]),
  ...works('Swami Vivekananda', [['Raja Yoga', 1896, ['religion', 'philosophy']]]),
  ...works('Evelyn Underhill', [['Mysticism', 1911, ['religion']]]),
  ...works('Rudolf Otto', [['The Idea of the Holy', 1917, ['religion', 'philosophy']]]),
  ...works('Kahlil Gibran', [
    ['The Madman', 1918, ['religion', 'poetry']],
    ['The Prophet', 1923, ['religion', 'poetry', 'philosophy']],
  ]),
];
