using Router.Core.Failures;
using Router.Core.Messages;
using Router.Core.Transformers;
using Router.Transformers.Map;
using Router.Transformers.Tests.Support;

namespace Router.Transformers.Tests.Map;

public class MapTransformerTests
{
    private const string Order = """
        {
          "orderNumber": "1001",
          "version": 7,
          "date": "2024-03-05",
          "sum": 1234.56,
          "client": { "name": "Иван Петров", "tel": "8 (916) 123-45-67", "mail": "Ivan@Example.RU" },
          "items": [
            { "code": "ЧАЙ-1", "count": "2", "price": 0.1 },
            { "code": "ЧАЙ-2", "count": 3, "price": 0.2 }
          ],
          "comment": null
        }
        """;

    private const string BriefExample = """
        type: order.created
        entityKey: "'order:' + $.number"
        entityVersion: $.version
        fields:
          number: $.orderNumber
          version: $.version
          total:  { path: $.sum, convert: decimal, required: true }
          currency: { const: RUB }
          phone:  { path: $.client.tel, convert: phone }
          label:  { format: "Заказ №{$.orderNumber} от {$.date}" }
          customer: { fields: { name: $.client.name, email: { path: $.client.mail, convert: lower } } }
          lines:  { each: $.items, fields: { sku: $.code, qty: { path: $.count, convert: int } } }
          note:   { path: $.comment, default: "" }
        """;

    private static Envelope Map(string optionsYaml, string payload = Order) =>
        Steps.Create(new MapTransformerFactory(), optionsYaml).Single(TestMessages.Envelope(payload, MessageTypes.FileReceived));

    private static string MapToJson(string optionsYaml, string payload = Order) => TestMessages.Json(Map(optionsYaml, payload).Payload);

    private static PermanentFailureException MapFailure(string optionsYaml, string payload = Order) =>
        Assert.Throws<PermanentFailureException>(() => Map(optionsYaml, payload))!;

    [Test]
    public void The_example_of_the_brief_maps_every_kind_of_field()
    {
        var output = Map(BriefExample);

        Assert.That(TestMessages.Json(output.Payload), Is.EqualTo(TestMessages.Compact("""
            {
              "number": "1001",
              "version": 7,
              "total": 1234.56,
              "currency": "RUB",
              "phone": "+79161234567",
              "label": "Заказ №1001 от 2024-03-05",
              "customer": { "name": "Иван Петров", "email": "ivan@example.ru" },
              "lines": [ { "sku": "ЧАЙ-1", "qty": 2 }, { "sku": "ЧАЙ-2", "qty": 3 } ],
              "note": ""
            }
            """)));
        Assert.That(output.Type, Is.EqualTo(MessageTypes.OrderCreated));
        Assert.That(output.EntityKey, Is.EqualTo("order:1001"), "evaluated over the mapped payload, where the field is 'number'");
        Assert.That(output.EntityVersion, Is.EqualTo(7));
    }

    [Test]
    public void The_envelope_keeps_its_identity()
    {
        var input = TestMessages.Envelope(Order, MessageTypes.FileReceived);

        var output = Steps.Create(new MapTransformerFactory(), "fields: { number: $.orderNumber }").Single(input);

        Assert.Multiple(() =>
        {
            Assert.That(output.MessageId, Is.EqualTo(input.MessageId));
            Assert.That(output.Source, Is.EqualTo(input.Source));
            Assert.That(output.CorrelationId, Is.EqualTo(input.CorrelationId));
            Assert.That(output.CausationId, Is.EqualTo(input.CausationId));
            Assert.That(output.OccurredAt, Is.EqualTo(input.OccurredAt));
            Assert.That(output.Headers, Is.EqualTo(input.Headers));
            Assert.That(output.Type, Is.EqualTo(MessageTypes.FileReceived), "no type option: the input's type");
            Assert.That(output.EntityKey, Is.EqualTo(input.EntityKey), "no entityKey option: the input's key");
            Assert.That(TestMessages.Json(input.Payload), Is.EqualTo(TestMessages.Compact(Order)), "the input is not changed");
        });
    }

    [Test]
    public void Output_fields_follow_the_order_written_in_the_yaml()
    {
        Assert.That(MapToJson("fields: { z: $.orderNumber, a: $.date, m: { const: 1 } }"),
            Is.EqualTo("""{"z":"1001","a":"2024-03-05","m":1}"""));
    }

    [Test]
    public void The_same_input_gives_byte_identical_output()
    {
        var first = Steps.Create(new MapTransformerFactory(), BriefExample);
        var second = Steps.Create(new MapTransformerFactory(), BriefExample);
        var input = TestMessages.Envelope(Order);

        var outputs = new[] { first.Single(input), first.Single(input), second.Single(TestMessages.Envelope(Order)) }
            .Select(e => RouterJson.Serialize(e))
            .ToList();

        Assert.That(outputs.Distinct().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Missing_optional_values_are_left_out()
    {
        Assert.That(MapToJson("fields: { a: $.missing, b: { path: $.comment }, c: { path: $.client.fax, convert: phone }, d: $.orderNumber }"),
            Is.EqualTo("""{"d":"1001"}"""));
    }

    [Test]
    public void KeepNulls_writes_missing_optional_values_as_null()
    {
        Assert.That(MapToJson("keepNulls: true\nfields: { a: $.missing, b: { path: $.comment }, d: $.orderNumber }"),
            Is.EqualTo("""{"a":null,"b":null,"d":"1001"}"""));
    }

    [Test]
    public void A_missing_required_value_fails_naming_the_field_and_the_source()
    {
        var failure = MapFailure("fields: { customer: { fields: { fax: { path: $.client.fax, required: true } } } }");

        Assert.That(failure.Code, Is.EqualTo(MappingErrorCodes.MappingFailed));
        Assert.That(failure.Message, Is.EqualTo("map: 'customer.fax' is required, but $.client.fax gave nothing"));
    }

    [Test]
    public void A_failing_conversion_in_a_list_names_the_item_the_source_and_the_value()
    {
        const string payload = """{"items": [ {"count": 1}, {"count": "2"}, {"count": "два"} ]}""";

        var failure = MapFailure("fields: { lines: { each: $.items, fields: { qty: { path: $.count, convert: int } } } }", payload);

        Assert.That(failure.Code, Is.EqualTo(MappingErrorCodes.MappingFailed));
        Assert.That(failure.Message, Is.EqualTo("map: 'lines[2].qty' (from $.count): cannot convert \"два\" to int: not a number"));
    }

    [Test]
    public void A_long_offending_value_is_cut_short_in_the_message()
    {
        var payload = $$"""{"tel": "{{new string('x', 500)}}"}""";

        var failure = MapFailure("fields: { phone: { path: $.tel, convert: phone } }", payload);

        Assert.That(failure.Message, Does.Contain("\"xxxxxxxx").And.Contain("…"));
        Assert.That(failure.Message.Length, Is.LessThan(250));
    }

    [Test]
    public void A_required_item_value_must_be_present_in_every_item()
    {
        const string payload = """{"items": [ {"code": "A"}, {"code": "B"}, {} ]}""";

        var failure = MapFailure("fields: { skus: { each: $.items, path: $.code, required: true } }", payload);

        Assert.That(failure.Message, Is.EqualTo("map: 'skus[2]' is required, but $.code gave nothing"));
    }

    [Test]
    public void A_missing_item_value_stays_null_so_positions_match_the_source()
    {
        const string payload = """{"items": [ {"code": "A"}, {}, {"code": "C"} ]}""";

        Assert.That(MapToJson("fields: { skus: { each: $.items, path: $.code } }", payload), Is.EqualTo("""{"skus":["A",null,"C"]}"""));
    }

    [Test]
    public void Each_without_a_source_maps_the_items_themselves()
    {
        const string payload = """{"tags": ["новинка", " sale "]}""";

        Assert.That(MapToJson("fields: { tags: { each: $.tags, convert: upper }, raw: { each: $.tags } }", payload),
            Is.EqualTo("""{"tags":["НОВИНКА"," SALE "],"raw":["новинка"," sale "]}"""));
    }

    [Test]
    public void Inside_each_root_is_the_whole_payload()
    {
        Assert.That(MapToJson("fields: { lines: { each: $.items, fields: { order: $root.orderNumber, key: \"$root.orderNumber + '/' + $.code\" } } }"),
            Is.EqualTo("""{"lines":[{"order":"1001","key":"1001/ЧАЙ-1"},{"order":"1001","key":"1001/ЧАЙ-2"}]}"""));
    }

    [Test]
    public void Lists_nest_inside_lists()
    {
        const string payload = """{"n": "7", "boxes": [ {"id": 1, "items": [ {"sku": "a"}, {"sku": "b"} ]}, {"id": 2, "items": []} ]}""";

        Assert.That(MapToJson("""
            fields:
              boxes:
                each: $.boxes
                fields:
                  id: $.id
                  skus: { each: $.items, format: "{$root.n}-{$.sku}" }
            """, payload),
            Is.EqualTo("""{"boxes":[{"id":1,"skus":["7-a","7-b"]},{"id":2,"skus":[]}]}"""));
    }

    [Test]
    public void Each_over_something_that_is_not_a_list_fails()
    {
        var failure = MapFailure("fields: { lines: { each: $.client, fields: { x: $.name } } }");

        Assert.That(failure.Message, Does.StartWith("map: 'lines' (each: $.client): expected a list, got {\"name\":\"Иван Петров\""));
    }

    [Test]
    public void A_missing_list_is_left_out_or_takes_its_default_or_fails_when_required()
    {
        Assert.That(MapToJson("fields: { a: { each: $.none, path: $.x }, b: { each: $.none, path: $.x, default: [] } }"),
            Is.EqualTo("""{"b":[]}"""));
        Assert.That(MapFailure("fields: { a: { each: $.none, path: $.x, required: true } }").Message,
            Is.EqualTo("map: 'a' is required, but $.none gave nothing"));
    }

    [Test]
    public void Constants_keep_their_yaml_types_and_double_dollar_is_a_literal_dollar()
    {
        Assert.That(MapToJson("""
            fields:
              count: 1
              price: 1.50
              flag: true
              text: "123"
              word: yes
              dollar: $$5
              list: { const: [1, "2", { a: ~ }] }
              nothing: { const: ~ }
            """),
            Is.EqualTo("""{"count":1,"price":1.50,"flag":true,"text":"123","word":"yes","dollar":"$5","list":[1,"2",{"a":null}]}"""));
    }

    [Test]
    public void Defaults_stand_in_for_missing_values_only()
    {
        Assert.That(MapToJson("fields: { a: { path: $.missing, default: 0 }, b: { path: $.orderNumber, default: 0 }, c: { path: $.comment, default: { k: v } } }"),
            Is.EqualTo("""{"a":0,"b":"1001","c":{"k":"v"}}"""));
    }

    [Test]
    public void Formats_render_values_and_literal_braces()
    {
        Assert.That(MapToJson("""
            fields:
              a: { format: "Заказ №{$.orderNumber}: {$.items.length} поз. на {$.sum} ₽" }
              b: { format: "{{ {$.orderNumber} }}" }
              c: { format: "[{$.missing}]" }
              d: { format: "{ $.items.map(i => ({ c: i.code })).length }" }
              e: { format: "{$.client}" }
            """),
            Is.EqualTo(TestMessages.Compact("""
                {"a":"Заказ №1001: 2 поз. на 1234.56 ₽","b":"{ 1001 }","c":"[]","d":"2",
                 "e":"{\"name\":\"Иван Петров\",\"tel\":\"8 (916) 123-45-67\",\"mail\":\"Ivan@Example.RU\"}"}
                """)));
    }

    [Test]
    public void A_required_format_fails_when_a_placeholder_gives_nothing()
    {
        Assert.That(MapFailure("fields: { label: { format: \"№{$.orderNumber} {$.missing}\", required: true } }").Message,
            Is.EqualTo("map: 'label' is required, but {$.missing} gave nothing"));
    }

    [Test]
    public void Decimals_taken_by_path_stay_exact()
    {
        const string payload = """{"a": 0.1, "b": 0.2, "sum": 1234.56, "scaled": 1234.50, "big": 79228162514264337593543950335, "text": "1 234,56"}""";

        Assert.That(MapToJson("""
            fields:
              a: $.a
              sum: $.sum
              scaled: $.scaled
              scaledDecimal: { path: $.scaled, convert: decimal }
              big: $.big
              fromText: { path: $.text, convert: decimal }
              added: "$.a + $.b"
            """, payload),
            Is.EqualTo("""{"a":0.1,"sum":1234.56,"scaled":1234.50,"scaledDecimal":1234.50,"big":79228162514264337593543950335,"fromText":1234.56,"added":0.3}"""));
    }

    [Test]
    public void Cyrillic_names_and_values_map_both_ways()
    {
        const string payload = """{"Товар": {"Наименование товара": "Чайник «Уют»", "Цена": 1990.00}}""";

        Assert.That(MapToJson("fields: { name: \"$['Товар']['Наименование товара']\", Цена: $.Товар.Цена, Статус: Новый }", payload),
            Is.EqualTo("""{"name":"Чайник «Уют»","Цена":1990.00,"Статус":"Новый"}"""));
    }

    [Test]
    public void A_failing_script_names_the_field_and_keeps_the_expression_code()
    {
        var failure = MapFailure("fields: { number: $.orderNumber, fax: \"$.client.fax.trim()\" }");

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.StartWith("map: 'fax': expression '$.client.fax.trim()' failed:"));
    }

    [Test]
    public void A_failing_script_inside_a_list_names_the_item()
    {
        var failure = MapFailure("fields: { lines: { each: $.items, fields: { x: \"$.code.toFixed(2)\" } } }");

        Assert.That(failure.Message, Does.StartWith("map: 'lines[0].x': expression '$.code.toFixed(2)' failed:"));
    }

    [Test]
    public void Entity_key_and_version_come_from_the_mapped_payload()
    {
        var output = Map("entityKey: $.id\nentityVersion: $.changed\nfields: { id: { format: \"order:{$.orderNumber}\" }, changed: { const: '2024-01-02T03:04:05Z' } }");

        Assert.That(output.EntityKey, Is.EqualTo("order:1001"));
        Assert.That(output.EntityVersion, Is.EqualTo(1704164645000L));
    }

    [Test]
    public void An_entity_key_that_gives_nothing_fails()
    {
        var failure = MapFailure("entityKey: $.missing\nfields: { id: $.orderNumber }");

        Assert.That(failure.Code, Is.EqualTo(MappingErrorCodes.MappingFailed));
        Assert.That(failure.Message, Does.Contain("entityKey $.missing gave nothing"));
    }

    [Test]
    public void An_entity_version_that_is_not_a_version_fails()
    {
        var failure = MapFailure("entityVersion: $.v\nfields: { v: { const: soon } }");

        Assert.That(failure.Code, Is.EqualTo(ErrorCodes.ExpressionFailed));
        Assert.That(failure.Message, Does.StartWith("map: entityVersion:"));
    }

    [Test]
    public void The_factory_describes_itself()
    {
        var factory = new MapTransformerFactory();

        Assert.That(factory.Name, Is.EqualTo("map"));
        Assert.That(factory.Description, Is.Not.Empty);
        Assert.That(factory.Create(Yaml.Parse("fields: { a: $.b }"), Steps.Context()), Is.InstanceOf<ITransformer>());
    }
}
