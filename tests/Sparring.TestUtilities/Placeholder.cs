namespace Sparring.TestUtilities;
