using System.Xml;
using Router.Core.Canonical;

namespace Router.Transformers.CommerceML.Orders;

/// <summary>The buyer as Контрагенты/Контрагент; 1C finds or creates its counterparty by Ид, then by ИНН.</summary>
internal static class CustomerWriter
{
    public static void Write(XmlWriter xml, Customer customer)
    {
        var isCompany = customer.CompanyName is not null || customer.Inn is not null;
        var name = customer.CompanyName ?? customer.Name ?? customer.Email ?? customer.Id;
        xml.WriteStartElement("Контрагенты");
        xml.WriteStartElement("Контрагент");
        xml.WriteElementString("Ид", customer.Id);
        xml.WriteElementString("Наименование", name);
        xml.WriteElementString("Роль", "Покупатель");
        xml.WriteElementString("ПолноеНаименование", name);
        // ИНН/КПП identify legal entities; a private buyer's ИНН would make 1C treat them as one.
        if (isCompany)
        {
            WriteIfPresent(xml, "ИНН", customer.Inn);
            WriteIfPresent(xml, "КПП", customer.Kpp);
        }
        if (AddressText(customer.Address) is { } address)
        {
            xml.WriteStartElement("АдресРегистрации");
            xml.WriteElementString("Представление", address);
            xml.WriteEndElement();
        }
        WriteContacts(xml, customer);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteContacts(XmlWriter xml, Customer customer)
    {
        if (customer.Email is null && customer.Phone is null)
        {
            return;
        }
        xml.WriteStartElement("Контакты");
        if (customer.Email is { } email)
        {
            Contact(xml, "Почта", email);
        }
        if (customer.Phone is { } phone)
        {
            // The contact kind Bitrix exports and 1C's site exchange maps to the counterparty's phone.
            Contact(xml, "Телефон рабочий", phone);
        }
        xml.WriteEndElement();
    }

    private static void Contact(XmlWriter xml, string type, string value)
    {
        xml.WriteStartElement("Контакт");
        xml.WriteElementString("Тип", type);
        xml.WriteElementString("Значение", value);
        xml.WriteEndElement();
    }

    private static string? AddressText(Address? address)
    {
        if (address is null)
        {
            return null;
        }
        if (CommerceXml.NonEmpty(address.Full) is { } full)
        {
            return full;
        }
        var parts = new[] { address.PostalCode, address.City, address.Street, address.House, address.Apartment }
            .Where(p => !string.IsNullOrWhiteSpace(p));
        var text = string.Join(", ", parts);
        return text.Length == 0 ? null : text;
    }

    private static void WriteIfPresent(XmlWriter xml, string element, string? value)
    {
        if (CommerceXml.NonEmpty(value) is { } text)
        {
            xml.WriteElementString(element, text);
        }
    }
}
